"""What the module catalogue refuses, with the problem each refusal answers with."""

from __future__ import annotations

from xentri.kernel.errors import DomainError


class ModuleNotFoundError(DomainError):
    status, code, title = 404, "module-not-found", "Module not found"


class ModuleAlreadyActiveError(DomainError):
    status, code, title = 409, "module-already-active", "This module is already available"
