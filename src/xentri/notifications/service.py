"""A person's notifications: the page of them, how many are unread, marking them read.

Every function runs in the person's user_transaction: row-level security shows a person their
own notifications only, so a wrong id is "not found", never someone else's notice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.notifications.errors import NotificationNotFoundError
from xentri.notifications.messages import render
from xentri.notifications.tables import notifications

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class NotificationView:
    id: uuid.UUID
    kind: str
    title: str
    body: str
    link: str
    read_at: datetime | None
    created_at: datetime

    @property
    def unread(self) -> bool:
        return self.read_at is None


@dataclass(frozen=True)
class NotificationPage:
    items: list[NotificationView]
    page: int
    per_page: int
    total: int
    unread: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


async def list_notifications(
    *, tx: AsyncSession, user_id: uuid.UUID, language: str, page: int = 1, per_page: int = 20
) -> NotificationPage:
    """Newest first, rendered in `language`; with the total and the unread count."""
    page, per_page = max(1, page), min(max(1, per_page), MAX_PER_PAGE)
    counts = (
        await tx.execute(
            select(
                func.count(),
                func.count().filter(notifications.c.read_at.is_(None)),
            ).where(*_mine(user_id))
        )
    ).one()
    rows = await tx.execute(
        select(notifications)
        .where(*_mine(user_id))
        # id breaks ties: one event notifies in one statement, so its rows share now().
        .order_by(notifications.c.created_at.desc(), notifications.c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = [_view(row, language) for row in rows]
    return NotificationPage(
        items=items, page=page, per_page=per_page, total=counts[0], unread=counts[1]
    )


async def unread_count(*, tx: AsyncSession, user_id: uuid.UUID) -> int:
    query = select(func.count()).where(*_mine(user_id), notifications.c.read_at.is_(None))
    return int((await tx.execute(query)).scalar_one())


async def mark_read(
    *, tx: AsyncSession, user_id: uuid.UUID, notification_id: uuid.UUID, language: str
) -> NotificationView:
    """Mark one read (again is no change: it keeps the first time it was read)."""
    await tx.execute(
        update(notifications)
        .where(
            *_mine(user_id),
            notifications.c.id == notification_id,
            notifications.c.read_at.is_(None),
        )
        .values(read_at=func.now(), updated_at=func.now())
    )
    row = (
        await tx.execute(
            select(notifications).where(*_mine(user_id), notifications.c.id == notification_id)
        )
    ).first()
    if row is None:
        raise NotificationNotFoundError("There is no such notification.")
    return _view(row, language)


async def mark_all_read(*, tx: AsyncSession, user_id: uuid.UUID) -> int:
    """Mark every unread one read; returns how many were."""
    result = await tx.execute(
        update(notifications)
        .where(*_mine(user_id), notifications.c.read_at.is_(None))
        .values(read_at=func.now(), updated_at=func.now())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _mine(user_id: uuid.UUID) -> tuple[Any, ...]:
    # The user filter is the query's own; row-level security holds it even if it were missing.
    return (notifications.c.user_id == user_id, notifications.c.in_app.is_(True))


def _view(row: Any, language: str) -> NotificationView:
    rendered = render(row.message_key, row.params, language=language)
    return NotificationView(
        id=row.id,
        kind=row.kind,
        title=rendered.title,
        body=rendered.body,
        link=row.link,
        read_at=row.read_at,
        created_at=row.created_at,
    )
