"""API models of the notifications: one notification, a page of them, mark-all-read's answer."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from xentri.notifications.service import NotificationPage, NotificationView


class NotificationRead(BaseModel):
    id: uuid.UUID
    kind: str = Field(examples=["product_updates"], description="A notification preference kind.")
    title: str = Field(description="In the signed-in person's language.")
    body: str
    link: str = Field(examples=["/modules/finance.invoicing"], description="A path in Xentri.")
    read: bool
    read_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, view: NotificationView) -> NotificationRead:
        return cls(
            id=view.id,
            kind=view.kind,
            title=view.title,
            body=view.body,
            link=view.link,
            read=not view.unread,
            read_at=view.read_at,
            created_at=view.created_at,
        )


class NotificationPageRead(BaseModel):
    items: list[NotificationRead] = Field(description="Newest first.")
    page: int
    per_page: int
    total: int
    unread: int = Field(description="Unread notifications in all pages.")

    @classmethod
    def of(cls, page: NotificationPage) -> NotificationPageRead:
        return cls(
            items=[NotificationRead.of(item) for item in page.items],
            page=page.page,
            per_page=page.per_page,
            total=page.total,
            unread=page.unread,
        )


class MarkedRead(BaseModel):
    marked: int = Field(description="How many were unread and are now read.")
    unread: int
