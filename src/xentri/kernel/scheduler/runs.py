"""The run record (`job_runs`): claims, leases and outcomes, written as the system role.

A row is claimed by exactly one scheduler: new slots by `insert … on conflict do nothing`,
due retries and expired leases by `for update skip locked`. While a run is `running`,
`next_attempt_at` is its lease; `attempts` is the fencing token, so a scheduler whose lease
was taken over can no longer write the outcome.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.kernel.db.tenant import system_transaction
from xentri.kernel.events.tables import job_runs

# An attempt is cut off at its job's timeout; the lease outlasts it by this much, so a lease
# only runs out when the scheduler holding it has died.
LEASE_GRACE = timedelta(minutes=1)


class RunStatus(StrEnum):
    RUNNING = "running"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True, kw_only=True)
class ClaimedRun:
    """A run this scheduler holds the lease of, for attempt number `attempt`."""

    id: uuid.UUID
    job: str
    org_id: uuid.UUID
    slot: datetime
    attempt: int
    error: str | None = None


@dataclass(frozen=True)
class Target:
    org_id: uuid.UUID
    slot: datetime


_TARGETS = "unnest(cast(:org_ids as uuid[]), cast(:slots as timestamptz[])) as t(org_id, slot)"
# A slot at or before one already recorded is never run: a replica whose clock lags, or a
# catch-up after downtime, must not go back to a slot the schedule has moved past.
_NOT_SUPERSEDED = (
    "not exists (select 1 from job_runs r"
    " where r.job = cast(:job as text) and r.org_id = t.org_id and r.slot >= t.slot)"
)


async def unclaimed(engine: AsyncEngine, *, job: str, targets: Sequence[Target]) -> list[Target]:
    """The targets no scheduler has claimed yet (usually none: one query for every org)."""
    if not targets:
        return []
    async with system_transaction(engine) as tx:
        rows = await tx.execute(
            text(f"select t.org_id, t.slot from {_TARGETS} where {_NOT_SUPERSEDED}"),  # noqa: S608
            _target_params(job, targets),
        )
        return [Target(org_id, slot.astimezone(UTC)) for org_id, slot in rows.all()]


async def claim_slots(
    engine: AsyncEngine,
    *,
    job: str,
    targets: Sequence[Target],
    now: datetime,
    lease_until: datetime,
) -> list[ClaimedRun]:
    """Record and claim first attempts; another scheduler's concurrent claim wins silently."""
    if not targets:
        return []
    params = _target_params(job, targets)
    params.update(
        ids=[uuid.uuid4() for _ in targets],
        status=RunStatus.RUNNING.value,
        now=now,
        lease_until=lease_until,
    )
    statement = text(
        "insert into job_runs"  # noqa: S608
        " (id, org_id, job, slot, status, attempts, started_at, next_attempt_at)"
        " select t.id, t.org_id, cast(:job as text), t.slot, :status, 1, :now, :lease_until"
        " from unnest(cast(:ids as uuid[]), cast(:org_ids as uuid[]),"
        " cast(:slots as timestamptz[])) as t(id, org_id, slot)"
        f" where {_NOT_SUPERSEDED}"
        " on conflict (job, org_id, slot) do nothing"
        " returning id, org_id, slot"
    )
    async with system_transaction(engine) as tx:
        rows = (await tx.execute(statement, params)).all()
    return [
        ClaimedRun(id=run_id, job=job, org_id=org_id, slot=slot.astimezone(UTC), attempt=1)
        for run_id, org_id, slot in rows
    ]


@dataclass(frozen=True)
class DueAgain:
    retries: list[ClaimedRun]  # to attempt again now
    exhausted: list[ClaimedRun]  # died on their last attempt: to be reported and failed


async def claim_due_again(
    engine: AsyncEngine,
    *,
    leases: Mapping[str, timedelta],
    max_attempts: Mapping[str, int],
    now: datetime,
    limit: int,
) -> DueAgain:
    """Claim runs whose retry time came, or whose scheduler died holding the lease."""
    due = (
        select(
            job_runs.c.id,
            job_runs.c.job,
            job_runs.c.org_id,
            job_runs.c.slot,
            job_runs.c.status,
            job_runs.c.attempts,
            job_runs.c.error,
        )
        .where(
            job_runs.c.job.in_(list(leases)),
            job_runs.c.status.in_([RunStatus.RETRYING.value, RunStatus.RUNNING.value]),
            job_runs.c.next_attempt_at <= now,
        )
        .order_by(job_runs.c.next_attempt_at)
        .limit(limit)
        # Other schedulers skip what this one is taking instead of queueing behind it.
        .with_for_update(skip_locked=True)
    )
    result = DueAgain(retries=[], exhausted=[])
    async with system_transaction(engine) as tx:
        for row in (await tx.execute(due)).all():
            lease_until = now + leases[row.job]
            died_on_last_attempt = (
                row.status == RunStatus.RUNNING and row.attempts >= max_attempts[row.job]
            )
            if died_on_last_attempt:
                # Not attempted again: held under a fresh lease while it is reported failed.
                attempt, changes = row.attempts, {"next_attempt_at": lease_until}
            else:
                attempt = row.attempts + 1
                changes = {"attempts": attempt, "started_at": now, "next_attempt_at": lease_until}
            await tx.execute(
                job_runs.update()
                .where(job_runs.c.id == row.id)
                .values(status=RunStatus.RUNNING.value, **changes)
            )
            claimed = ClaimedRun(
                id=row.id,
                job=row.job,
                org_id=row.org_id,
                slot=row.slot.astimezone(UTC),
                attempt=attempt,
                error=row.error,
            )
            (result.exhausted if died_on_last_attempt else result.retries).append(claimed)
    return result


async def succeed(engine: AsyncEngine, run: ClaimedRun, *, now: datetime) -> bool:
    return await _settle(
        engine,
        run,
        status=RunStatus.SUCCEEDED,
        error=None,
        finished_at=now,
        next_attempt_at=None,
    )


async def retry_later(engine: AsyncEngine, run: ClaimedRun, *, at: datetime, error: str) -> bool:
    return await _settle(
        engine,
        run,
        status=RunStatus.RETRYING,
        error=error,
        finished_at=None,
        next_attempt_at=at,
    )


async def fail(engine: AsyncEngine, run: ClaimedRun, *, now: datetime, error: str) -> bool:
    return await _settle(
        engine,
        run,
        status=RunStatus.FAILED,
        error=error,
        finished_at=now,
        next_attempt_at=None,
    )


async def release(engine: AsyncEngine, run: ClaimedRun, *, now: datetime) -> bool:
    """Give an interrupted attempt back, due at once; being stopped is not the job failing."""
    return await _settle(
        engine,
        run,
        status=RunStatus.RETRYING,
        error=run.error,
        finished_at=None,
        next_attempt_at=now,
        attempts=run.attempt - 1,
    )


async def _settle(
    engine: AsyncEngine,
    run: ClaimedRun,
    *,
    status: RunStatus,
    error: str | None,
    finished_at: datetime | None,
    next_attempt_at: datetime | None,
    attempts: int | None = None,
) -> bool:
    """Write an attempt's outcome; False if the lease was taken over meanwhile."""
    async with system_transaction(engine) as tx:
        updated = await tx.execute(
            job_runs.update()
            .where(
                and_(
                    job_runs.c.id == run.id,
                    job_runs.c.status == RunStatus.RUNNING.value,
                    job_runs.c.attempts == run.attempt,
                )
            )
            .values(
                status=status.value,
                error=error,
                finished_at=finished_at,
                next_attempt_at=next_attempt_at,
                attempts=run.attempt if attempts is None else attempts,
            )
            .returning(job_runs.c.id)
        )
        return updated.first() is not None


def _target_params(job: str, targets: Sequence[Target]) -> dict[str, object]:
    return {
        "job": job,
        "org_ids": [target.org_id for target in targets],
        "slots": [target.slot for target in targets],
    }
