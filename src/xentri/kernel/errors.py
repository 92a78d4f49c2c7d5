"""Failures the operator must fix; the CLI prints them as one line, without a traceback."""


class StartupError(Exception):
    """Xentri cannot start as configured; the message says what to fix."""


class DomainError(Exception):
    """A refusal a user can act on. The HTTP kernel answers it as a problem with `status`."""

    status = 400
    code = "domain-error"
    title: str | None = None

    def __init__(self, detail: str, **extensions: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions
