"""What every Finance route needs: paging parameters, the acting user, the Brief's offerings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from xentri.categories.finance.offerings import NoOfferings, OfferingSource
from xentri.contracts.events import Actor
from xentri.identity.http import Caller

PageNumber = Annotated[int, Query(ge=1, le=100_000, description="1-based page number.")]
PageSize = Annotated[int, Query(ge=1, le=100, description="Items per page (at most 100).")]
SearchText = Annotated[str | None, Query(max_length=200, description="Text to look for.")]


def actor_of(caller: Caller) -> Actor:
    return Actor(type="user", id=str(caller.user_id))


def offering_source(request: Request) -> OfferingSource:
    """The composition root's source of the Brief's offerings; none configured, none offered."""
    source: OfferingSource | None = getattr(request.app.state, "finance_offerings", None)
    return source if source is not None else NoOfferings()
