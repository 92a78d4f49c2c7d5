"""The web shell: server-rendered pages (Jinja2 + htmx) around the identity use cases."""

from xentri.shell.app import install_shell, shell_routers

__all__ = ["install_shell", "shell_routers"]
