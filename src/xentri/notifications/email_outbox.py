"""The email outbox: notifications that asked for an email, sent after the transaction that
made them has committed (ADR 0017).

A row is claimed (`sending`, committed) before its mail goes out and marked `sent` after, so a
crash or a retry never sends one twice: at most once per person per event. A send the mail
server refused goes back to `pending` with a backoff, and to `failed` after MAX_ATTEMPTS. A row
left `sending` by a crash between the server's answer and the mark stays so, visible, rather
than risk a second copy. Runs as the system role: it reads every person's pending rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.identity.mailer import Mail, Mailer
from xentri.identity.tables import users
from xentri.kernel.db.tenant import system_transaction
from xentri.notifications.messages import email_text, render
from xentri.notifications.tables import notifications

log = structlog.get_logger("xentri.notifications")

MAX_ATTEMPTS = 3
RETRY_BASE = timedelta(minutes=1)
BATCH = 100


@dataclass(frozen=True)
class OutboxRun:
    sent: int
    retrying: int
    failed: int


async def send_pending_emails(
    *, engine: AsyncEngine, mailer: Mailer, base_url: str, batch: int = BATCH
) -> OutboxRun:
    """Send what is due now, each mail in the recipient's current language."""
    claimed = await _claim(engine, batch)
    sent = retrying = failed = 0
    for row in claimed:
        try:
            async with system_transaction(engine) as tx:
                person = (
                    await tx.execute(
                        select(
                            users.c.email, users.c.preferred_language, users.c.disabled_at
                        ).where(users.c.id == row.user_id)
                    )
                ).first()
                if person is None or person.disabled_at is not None:
                    await _finish(tx, row.id, state="failed", error="the account is closed")
                    failed += 1
                    continue
                rendered = render(row.message_key, row.params, language=person.preferred_language)
                subject, body = email_text(
                    rendered,
                    language=person.preferred_language,
                    link=f"{base_url}{row.link}",
                    settings_link=f"{base_url}/settings/notifications",
                )
                # The dev mailbox writes in this transaction, so there it is exactly once.
                await mailer.send(Mail(to=person.email, subject=subject, body=body), tx=tx)
                await _finish(tx, row.id, state="sent")
                sent += 1
        except Exception as exc:  # noqa: BLE001 - the mail server's refusal, recorded below
            error = f"{type(exc).__name__}: {exc}"[:300]
            log.warning("notification_email_failed", notification_id=str(row.id), error=error)
            async with system_transaction(engine) as tx:
                if row.email_attempts >= MAX_ATTEMPTS:
                    await _finish(tx, row.id, state="failed", error=error)
                    failed += 1
                else:
                    await _retry_later(tx, row.id, attempts=row.email_attempts, error=error)
                    retrying += 1
    return OutboxRun(sent=sent, retrying=retrying, failed=failed)


async def _claim(engine: AsyncEngine, batch: int) -> list[Any]:
    """Due rows, marked `sending` in a transaction of their own (SKIP LOCKED: any number of
    senders share the outbox without sending a row twice)."""
    due = (
        select(notifications.c.id)
        .where(
            notifications.c.email_state == "pending",
            (notifications.c.email_next_attempt_at.is_(None))
            | (notifications.c.email_next_attempt_at <= func.now()),
        )
        .order_by(notifications.c.created_at, notifications.c.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    async with system_transaction(engine) as tx:
        rows = await tx.execute(
            update(notifications)
            .where(notifications.c.id.in_(due.scalar_subquery()))
            .values(
                email_state="sending",
                email_attempts=notifications.c.email_attempts + 1,
                updated_at=func.now(),
            )
            .returning(
                notifications.c.id,
                notifications.c.user_id,
                notifications.c.message_key,
                notifications.c.params,
                notifications.c.link,
                notifications.c.email_attempts,
            )
        )
        return list(rows)


async def _finish(
    tx: Any, notification_id: uuid.UUID, *, state: str, error: str | None = None
) -> None:
    await tx.execute(
        update(notifications)
        .where(notifications.c.id == notification_id)
        .values(
            email_state=state,
            email_sent_at=func.now() if state == "sent" else None,
            email_error=error,
            updated_at=func.now(),
        )
    )


async def _retry_later(tx: Any, notification_id: uuid.UUID, *, attempts: int, error: str) -> None:
    delay = RETRY_BASE * 2 ** (attempts - 1)
    await tx.execute(
        update(notifications)
        .where(notifications.c.id == notification_id)
        .values(
            email_state="pending",
            email_next_attempt_at=func.now() + delay,
            email_error=error,
            updated_at=func.now(),
        )
    )
