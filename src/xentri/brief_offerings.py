"""The Brief's offerings for Finance's invoice lines, read through Strategy's service.

A category never imports another; this adapter lives outside both and the composition root
hands it to Finance as its `OfferingSource`. Without an approved Brief there are no offerings.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.strategy.service import BriefNotFoundError, current_brief
from xentri.contracts.brief import Offering


class ApprovedBriefOfferings:
    async def offerings(self, *, tx: AsyncSession) -> Sequence[Offering]:
        try:
            approved = await current_brief(tx=tx)
        except BriefNotFoundError:
            return ()
        return approved.document.offerings
