"""Finance's refusals, answered as problems (404, 409, 422 with the offending fields)."""

from __future__ import annotations

from xentri.contracts.problem import FieldError
from xentri.kernel.errors import DomainError


class NotFoundError(DomainError):
    # Also what another org's id gets: whether it exists elsewhere is not the caller's to know.
    status = 404
    code = "not-found"
    title = "Not found"


class InvalidFieldsError(DomainError):
    """A rule only the service can check (a due date before the issue date, a payment larger
    than the balance), answered like a schema error: 422 with the fields."""

    status = 422
    code = "validation-failed"
    title = "Unprocessable Content"

    def __init__(self, detail: str, *, field: str, message: str, code: str) -> None:
        super().__init__(detail, errors=[FieldError(field=field, message=message, code=code)])


class ImportAlreadyCommittedError(DomainError):
    status = 409
    code = "import-already-committed"
    title = "This import was already committed"
