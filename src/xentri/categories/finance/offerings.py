"""The Brief's offerings as invoice lines. Finance never reads the Strategy category: the
composition root gives the app an `OfferingSource` (see xentri.brief_offerings), and without one
(or without a Brief) there are simply no offerings to pick."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.brief import Offering


class OfferingSource(Protocol):
    async def offerings(self, *, tx: AsyncSession) -> Sequence[Offering]:
        """The offerings of the org's approved Brief, read in the caller's transaction."""
        ...


class NoOfferings:
    async def offerings(self, *, tx: AsyncSession) -> Sequence[Offering]:
        return ()


def find(offerings: Sequence[Offering], name: str) -> Offering | None:
    wanted = name.strip().casefold()
    return next((o for o in offerings if o.name.strip().casefold() == wanted), None)
