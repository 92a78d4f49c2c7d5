"""The web shell: server-rendered pages (Jinja2 + htmx) around the identity use cases."""

from xentri.shell.app import install_shell, shell_routers
from xentri.shell.logos import LOGO_FORM_MAX_BYTES, LOGO_FORM_PATH

# Paths whose forms take bodies over the app's limit (the composition root hands them to the
# kernel's body limit; the routes bound what they keep themselves).
larger_bodies = {LOGO_FORM_PATH: LOGO_FORM_MAX_BYTES}

__all__ = ["install_shell", "larger_bodies", "shell_routers"]
