"""Reading HTML forms: values kept for re-display, CSRF checked, pydantic errors in words."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from pydantic import ValidationError

from xentri.shell import csrf
from xentri.shell.visitor import Visitor


@dataclass
class Form:
    values: dict[str, str]
    csrf_ok: bool
    errors: dict[str, str] = field(default_factory=dict)
    form_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.csrf_ok and not self.errors and self.form_error is None


async def read_form(request: Request, visitor: Visitor, fields: tuple[str, ...]) -> Form:
    """The named fields as stripped strings (absent ones empty) and whether the token is ours."""
    data = await request.form()
    values: dict[str, str] = {}
    for name in fields:
        raw = data.get(name)
        values[name] = raw.strip() if isinstance(raw, str) else ""
    sent = data.get(csrf.FIELD)
    ok = csrf.valid(
        request,
        sent if isinstance(sent, str) else "",
        session_id=visitor.session.session_id if visitor.session else None,
    )
    form = Form(values=values, csrf_ok=ok)
    if not ok:
        form.form_error = visitor.gettext(
            "This form expired or came from another site. Check it and send it again."
        )
    return form


def field_errors(
    exc: ValidationError, visitor: Visitor, required: dict[str, str], values: dict[str, str]
) -> dict[str, str]:
    """One message per field, in the visitor's language; `required` words the empty case."""
    _ = visitor.gettext
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error.get("loc") else ""
        if name in errors:
            continue
        kind = error.get("type", "")
        context = error.get("ctx") or {}
        if not values.get(name) and name in required:
            errors[name] = _(required[name])
        elif name == "email":
            errors[name] = _("Enter a valid email address, like name@example.com.")
        elif kind == "string_too_long":
            errors[name] = _("Use at most %(max)s characters.", max=context.get("max_length", ""))
        elif kind == "string_pattern_mismatch":
            errors[name] = _("Check the format of this field.")
        elif kind in {"literal_error", "enum"}:
            errors[name] = _("Choose one of the options.")
        elif kind in {"missing", "string_too_short"}:
            errors[name] = _("This field is required.")
        else:
            errors[name] = _("Check this field.")
    return errors
