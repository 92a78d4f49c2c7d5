"""Strategy API models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from xentri.categories.strategy.domain import FieldChange, FlowAction, FlowState
from xentri.categories.strategy.service import BriefVersion, Flow
from xentri.contracts.brief import Brief, BriefSection


class FlowRead(BaseModel):
    state: FlowState
    draft: Brief
    allowed: list[FlowAction]
    updated_at: datetime

    @classmethod
    def of(cls, flow: Flow) -> FlowRead:
        return cls(
            state=flow.state,
            draft=flow.draft,
            allowed=list(flow.allowed),
            updated_at=flow.updated_at,
        )


class BriefVersionRead(BaseModel):
    version: int
    document: Brief
    changed_sections: list[BriefSection]
    approved_by: uuid.UUID
    approved_at: datetime

    @classmethod
    def of(cls, version: BriefVersion) -> BriefVersionRead:
        return cls(
            version=version.version,
            document=version.document,
            changed_sections=list(version.changed_sections),
            approved_by=version.approved_by,
            approved_at=version.approved_at,
        )


class BriefVersionSummary(BaseModel):
    version: int
    changed_sections: list[BriefSection]
    approved_by: uuid.UUID
    approved_at: datetime


class FieldChangeRead(BaseModel):
    path: str
    before: Any
    after: Any

    @classmethod
    def of(cls, change: FieldChange) -> FieldChangeRead:
        return cls(path=change.path, before=change.before, after=change.after)


class BriefDiffRead(BaseModel):
    before: int
    after: int
    changes: list[FieldChangeRead]
