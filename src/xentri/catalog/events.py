"""Events of the module catalogue: facts only."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from xentri.catalog.domain import ModuleStatus
from xentri.contracts.events import EventPayload
from xentri.kernel.events.registry import registry


class ModuleStatusChanged(
    EventPayload,
    event_type="xentri.module.status_changed.v1",
    schema="module.status_changed@1.0",
):
    """A module moved to another status (in_development and beta matter to its voters).

    Emitted under the platform org: the catalogue belongs to no tenant.
    """

    module_id: str = Field(max_length=80, examples=["finance.invoicing"])
    old_status: ModuleStatus
    new_status: ModuleStatus
    source: Literal["admin", "catalogue"] = Field(
        description="admin: `xentri modules set-status`; catalogue: a change in modules.yaml "
        "applied by `xentri modules sync`."
    )
    changed_by: str | None = Field(
        default=None, max_length=100, description="Who ran the command (admin changes)."
    )


# The notifications subscriber (xentri.notifications.handlers) tells a module's voters when it
# moves to in_development or beta, reading them through module_voters() (ADR 0008, ADR 0017).
registry.register(ModuleStatusChanged)
