"""Failures the operator must fix; the CLI prints them as one line, without a traceback."""


class StartupError(Exception):
    """Xentri cannot start as configured; the message says what to fix."""
