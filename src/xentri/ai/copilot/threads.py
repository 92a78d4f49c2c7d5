"""Copilot threads: one person's conversations with a scope's copilot, kept per org.

Threads are tenant rows (RLS by org) and private to the person who started them: every query
here filters by the user as well.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pydantic_ai import ModelMessage, ModelMessagesTypeAdapter
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.ai.copilot.schemas import MessageRead, ThreadDetail, ThreadPage, ThreadRead
from xentri.ai.memory import record_episode
from xentri.ai.tables import copilot_messages, copilot_threads
from xentri.kernel.errors import DomainError

PAGE_SIZE = 20
_TITLE_CHARS = 80


class ThreadNotFoundError(DomainError):
    status = 404
    code = "thread-not-found"
    title = "Thread not found"


async def create_thread(
    *, tx: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, scope: str, title: str | None
) -> ThreadRead:
    now = datetime.now(UTC)
    row = {
        "id": uuid.uuid4(),
        "org_id": org_id,
        "user_id": user_id,
        "scope": scope,
        "title": title or "New conversation",
        "created_at": now,
        "updated_at": now,
    }
    await tx.execute(copilot_threads.insert().values(**row))
    return ThreadRead(**{key: row[key] for key in ThreadRead.model_fields})


async def list_threads(
    *,
    tx: AsyncSession,
    user_id: uuid.UUID,
    scope: str,
    before: datetime | None,
    limit: int = PAGE_SIZE,
) -> ThreadPage:
    query = (
        select(copilot_threads)
        .where(copilot_threads.c.user_id == user_id, copilot_threads.c.scope == scope)
        .order_by(copilot_threads.c.updated_at.desc(), copilot_threads.c.id.desc())
        .limit(limit + 1)
    )
    if before is not None:
        query = query.where(copilot_threads.c.updated_at < before)
    rows = (await tx.execute(query)).mappings().all()
    items = [ThreadRead.model_validate(dict(row)) for row in rows[:limit]]
    more = len(rows) > limit
    return ThreadPage(items=items, next_cursor=items[-1].updated_at.isoformat() if more else None)


async def get_thread(*, tx: AsyncSession, user_id: uuid.UUID, thread_id: uuid.UUID) -> ThreadDetail:
    thread = await _thread(tx, user_id, thread_id)
    rows = (
        await tx.execute(
            select(copilot_messages)
            .where(copilot_messages.c.thread_id == thread_id)
            .order_by(copilot_messages.c.created_at, copilot_messages.c.role.desc())
        )
    ).mappings()
    messages = [MessageRead.model_validate(dict(row)) for row in rows]
    return ThreadDetail(**thread.model_dump(), messages=messages)


async def thread_history(
    *, tx: AsyncSession, user_id: uuid.UUID, thread_id: uuid.UUID
) -> tuple[ThreadRead, list[ModelMessage]]:
    """The thread and its model exchange so far, to continue the conversation."""
    thread = await _thread(tx, user_id, thread_id)
    rows = (
        await tx.execute(
            select(copilot_messages.c.model_messages)
            .where(
                copilot_messages.c.thread_id == thread_id,
                copilot_messages.c.model_messages.is_not(None),
            )
            .order_by(copilot_messages.c.created_at)
        )
    ).scalars()
    history: list[ModelMessage] = []
    for exchange in rows:
        history.extend(ModelMessagesTypeAdapter.validate_python(exchange))
    return thread, history


async def add_exchange(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    thread: ThreadRead,
    question: str,
    answer: str,
    model_messages: bytes,
) -> uuid.UUID:
    """Store a question and its answer together: a failed answer leaves no half a turn."""
    now = datetime.now(UTC)
    answer_id = uuid.uuid4()
    await tx.execute(
        copilot_messages.insert(),
        [
            {
                "id": uuid.uuid4(),
                "org_id": org_id,
                "thread_id": thread.id,
                "role": "user",
                "content": question,
                "model_messages": None,
                "created_at": now,
                "updated_at": now,
            },
            {
                "id": answer_id,
                "org_id": org_id,
                "thread_id": thread.id,
                "role": "assistant",
                "content": answer,
                "model_messages": ModelMessagesTypeAdapter.dump_python(
                    ModelMessagesTypeAdapter.validate_json(model_messages), mode="json"
                ),
                "created_at": now,
                "updated_at": now,
            },
        ],
    )
    # The conversation is also the org's memory: agents can recall what was discussed.
    await record_episode(
        tx=tx,
        org_id=org_id,
        kind="conversation",
        title=thread.title if thread.title != "New conversation" else _title_from(question),
        body=f"Q: {question}\nA: {answer}",
        occurred_at=now,
    )
    values: dict[str, object] = {"updated_at": now}
    if thread.title == "New conversation":
        values["title"] = _title_from(question)
    await tx.execute(
        update(copilot_threads).where(copilot_threads.c.id == thread.id).values(**values)
    )
    return answer_id


async def delete_thread(*, tx: AsyncSession, user_id: uuid.UUID, thread_id: uuid.UUID) -> None:
    await _thread(tx, user_id, thread_id)
    await tx.execute(delete(copilot_threads).where(copilot_threads.c.id == thread_id))


async def _thread(tx: AsyncSession, user_id: uuid.UUID, thread_id: uuid.UUID) -> ThreadRead:
    row = (
        (
            await tx.execute(
                select(copilot_threads).where(
                    copilot_threads.c.id == thread_id, copilot_threads.c.user_id == user_id
                )
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise ThreadNotFoundError("No such conversation.")
    return ThreadRead.model_validate(dict(row))


def _title_from(question: str) -> str:
    words = " ".join(question.split())
    return words if len(words) <= _TITLE_CHARS else words[: _TITLE_CHARS - 1].rstrip() + "…"
