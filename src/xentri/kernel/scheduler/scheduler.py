"""The scheduler loop: find each job's latest due slot (per org where asked), run it once.

Any number of schedulers may run against one database: every run is claimed in `job_runs`
before it starts (see runs.py), so each slot runs once however many replicas tick. After
downtime only the latest slot of each job and org runs, not every one that was missed.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.kernel.logging import scrub_text
from xentri.kernel.scheduler import runs
from xentri.kernel.scheduler.incidents import report_job_failed
from xentri.kernel.scheduler.jobs import JobContext, JobSpec, OrgProvider, no_orgs
from xentri.kernel.scheduler.runs import ClaimedRun, Target
from xentri.kernel.stopping import sleep_or_stop
from xentri.kernel.trace import new_trace_id, set_trace_id

log = structlog.get_logger("xentri.scheduler")

Clock = Callable[[], datetime]
_MAX_ERROR_CHARS = 2000
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class TickReport:
    """What one tick did: attempts started and how they ended."""

    started: int = 0
    succeeded: int = 0
    retrying: int = 0
    failed: int = 0


class Scheduler:
    def __init__(
        self,
        *,
        jobs: Sequence[JobSpec],
        system_engine: AsyncEngine,
        app_engine: AsyncEngine,
        org_provider: OrgProvider = no_orgs,
        clock: Clock = utc_now,
        max_concurrent_runs: int = 4,
        retry_jitter: float = 0.1,
    ) -> None:
        """`system_engine` keeps the run records of every org; handlers get `app_engine`."""
        self._jobs = {job.name: job for job in jobs}
        if len(self._jobs) != len(jobs):
            raise ValueError("two jobs share a name")
        if max_concurrent_runs < 1 or retry_jitter < 0:
            raise ValueError("max_concurrent_runs must be >= 1 and retry_jitter >= 0")
        self._system = system_engine
        self._app = app_engine
        self._org_provider = org_provider
        self._clock = clock
        self._max_concurrent = max_concurrent_runs
        self._jitter = retry_jitter

    async def run(self, *, stop: asyncio.Event, interval: float = 30.0) -> None:
        """Tick every `interval` seconds until `stop` is set; runs in progress finish first."""
        while not stop.is_set():
            try:
                await self.tick(stop=stop)
            except Exception:
                # The database can be away for a while (restart, failover): log and tick again;
                # a tick starts from the run records, so nothing is lost in between.
                log.exception("scheduler_tick_failed")
            await sleep_or_stop(stop, interval)

    async def tick(self, *, stop: asyncio.Event | None = None) -> TickReport:
        """Run every due slot not yet claimed, then every due retry and abandoned run.

        Once `stop` is set no more runs are claimed; what is left is due on the next start.
        """
        stop = stop or asyncio.Event()
        report = TickReport()
        per_org = any(job.per_org for job in self._jobs.values())
        orgs = await self._org_zones() if per_org else []
        for job in self._jobs.values():
            await self._run_new_slots(job, orgs, report, stop)
        await self._run_due_again(report, stop)
        return report

    async def _org_zones(self) -> list[tuple[uuid.UUID, ZoneInfo]]:
        zones: list[tuple[uuid.UUID, ZoneInfo]] = []
        for org in await self._org_provider():
            try:
                zones.append((org.org_id, ZoneInfo(org.timezone)))
            except (ZoneInfoNotFoundError, ValueError):
                # Guessing a zone would run the org's jobs at the wrong hour without a trace.
                log.error("org_timezone_unknown", org_id=str(org.org_id), timezone=org.timezone)
        return zones

    def _targets(
        self, job: JobSpec, orgs: Sequence[tuple[uuid.UUID, ZoneInfo]], now: datetime
    ) -> list[Target]:
        if not job.per_org:
            slot = job.cron.latest_slot(at=now, zone=job.zone)
            return [] if slot is None else [Target(SYSTEM_ORG_ID, slot)]
        latest_by_zone: dict[ZoneInfo, datetime | None] = {}
        targets = []
        for org_id, zone in orgs:
            if zone not in latest_by_zone:
                latest_by_zone[zone] = job.cron.latest_slot(at=now, zone=zone)
            slot = latest_by_zone[zone]
            if slot is not None:
                targets.append(Target(org_id, slot))
        return targets

    async def _run_new_slots(
        self,
        job: JobSpec,
        orgs: Sequence[tuple[uuid.UUID, ZoneInfo]],
        report: TickReport,
        stop: asyncio.Event,
    ) -> None:
        targets = self._targets(job, orgs, self._clock())
        pending = await runs.unclaimed(self._system, job=job.name, targets=targets)
        # Claim only as many as run at once: a lease starts when it is claimed, so a run
        # claimed long before it starts could expire and be taken over while still queued.
        for batch in _batched(pending, self._max_concurrent):
            if stop.is_set():
                return
            now = self._clock()
            claimed = await runs.claim_slots(
                self._system, job=job.name, targets=batch, now=now, lease_until=now + _lease(job)
            )
            await self._attempt_all(claimed, report)

    async def _run_due_again(self, report: TickReport, stop: asyncio.Event) -> None:
        if not self._jobs:
            return
        leases = {name: _lease(job) for name, job in self._jobs.items()}
        max_attempts = {name: job.max_attempts for name, job in self._jobs.items()}
        while not stop.is_set():
            due = await runs.claim_due_again(
                self._system,
                leases=leases,
                max_attempts=max_attempts,
                now=self._clock(),
                limit=self._max_concurrent,
            )
            if not due.retries and not due.exhausted:
                return
            for run in due.exhausted:
                error = f"the scheduler stopped during attempt {run.attempt}; last error: "
                await self._give_up(run, error=error + (run.error or "none"), report=report)
            await self._attempt_all(due.retries, report)

    async def _attempt_all(self, claimed: Sequence[ClaimedRun], report: TickReport) -> None:
        if not claimed:
            return
        async with asyncio.TaskGroup() as group:
            for run in claimed:
                group.create_task(self._attempt(run, report))

    async def _attempt(self, run: ClaimedRun, report: TickReport) -> None:
        job = self._jobs[run.job]
        set_trace_id(new_trace_id())  # this task's own context: one trace per attempt
        context = JobContext(
            job=run.job,
            org_id=run.org_id,
            slot=run.slot,
            run_id=run.id,
            attempt=run.attempt,
            app_engine=self._app,
        )
        report.started += 1
        deadline = asyncio.timeout(job.timeout.total_seconds())
        try:
            async with deadline:
                await job.handler(context)
        except asyncio.CancelledError:
            await asyncio.shield(runs.release(self._system, run, now=self._clock()))
            raise
        except Exception as exc:
            # Whatever a handler raises is this attempt failing: recorded, retried with
            # backoff, and after the last attempt reported as an incident.
            error = _describe(exc, timed_out_after=job.timeout if deadline.expired() else None)
            log.warning("job_attempt_failed", **_fields(run), error=error, exc_info=True)
            if run.attempt >= job.max_attempts:
                await self._give_up(run, error=error, report=report)
            else:
                await self._retry_later(job, run, error=error, report=report)
            return
        if await runs.succeed(self._system, run, now=self._clock()):
            report.succeeded += 1
            log.info("job_succeeded", **_fields(run))
        else:
            log.warning("job_lease_lost", **_fields(run))

    async def _retry_later(
        self, job: JobSpec, run: ClaimedRun, *, error: str, report: TickReport
    ) -> None:
        delay = job.retry_delay(run.attempt)
        # Jitter spreads the retries of many orgs that failed together (a provider outage).
        delay *= 1 + random.uniform(0, self._jitter)  # noqa: S311
        at = self._clock() + delay
        if await runs.retry_later(self._system, run, at=at, error=error):
            report.retrying += 1
            log.info("job_retry_scheduled", **_fields(run), at=at.isoformat())
        else:
            log.warning("job_lease_lost", **_fields(run))

    async def _give_up(self, run: ClaimedRun, *, error: str, report: TickReport) -> None:
        # The incident first: if we die before recording the failure, whoever takes the run
        # over reports it again, and the incident's dedupe key keeps that one event.
        await report_job_failed(self._app, run, attempts=run.attempt, error=error)
        if await runs.fail(self._system, run, now=self._clock(), error=error):
            report.failed += 1
            log.error("job_failed", **_fields(run), error=error)
        else:
            log.warning("job_lease_lost", **_fields(run))


def _lease(job: JobSpec) -> timedelta:
    return job.timeout + runs.LEASE_GRACE


def _describe(exc: Exception, *, timed_out_after: timedelta | None) -> str:
    if timed_out_after is not None:
        text = f"timed out after {timed_out_after}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    # Kept in job_runs and the incident: personal data and secrets stay out of both.
    return scrub_text(text)[:_MAX_ERROR_CHARS]


def _fields(run: ClaimedRun) -> dict[str, object]:
    return {
        "job": run.job,
        "org_id": str(run.org_id),
        "slot": run.slot.isoformat(),
        "attempt": run.attempt,
        "run_id": str(run.id),
    }


def _batched(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]
