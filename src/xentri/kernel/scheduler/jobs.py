"""What a scheduled job is, and what its handler is given when it runs."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.scheduler.schedule import CronSchedule

# Stored in job_runs.job (varchar 100) and used in incident dedupe keys.
_JOB_NAME = re.compile(r"^[a-z][a-z0-9_.:-]{0,99}$")


@dataclass(frozen=True, kw_only=True)
class JobContext:
    """One attempt at one run: which job, for which org and slot."""

    job: str
    org_id: uuid.UUID  # SYSTEM_ORG_ID for a global job
    slot: datetime  # the scheduled instant (UTC); the same on every retry of this run
    run_id: uuid.UUID
    attempt: int
    app_engine: AsyncEngine

    def transaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        """Open a unit of work as the app role inside this run's org."""
        return tenant_transaction(self.app_engine, self.org_id)


JobHandler = Callable[[JobContext], Awaitable[None]]


@dataclass(frozen=True, kw_only=True)
class JobSpec:
    """A job the scheduler runs on `schedule`: once per slot, or once per slot per org.

    A run may be attempted again after its scheduler died mid-run (the lease ran out), so a
    handler's effects must be idempotent per (org, slot): `JobContext.slot` is the key.
    """

    name: str
    schedule: str  # five-field cron, read in `timezone`, or in each org's zone when per_org
    handler: JobHandler
    per_org: bool = False
    timezone: str | None = None  # global jobs only; default UTC
    max_attempts: int = 3
    retry_backoff: timedelta = timedelta(minutes=1)  # doubles after each failed attempt
    timeout: timedelta = timedelta(minutes=10)  # an attempt running longer is a failure
    cron: CronSchedule = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not _JOB_NAME.match(self.name):
            raise ValueError(f"job name {self.name!r} must match {_JOB_NAME.pattern}")
        if self.per_org and self.timezone is not None:
            raise ValueError(f"{self.name}: a per-org job runs in each org's time zone")
        if self.timezone is not None:
            try:
                ZoneInfo(self.timezone)  # refuse an unknown zone now, not at 02:00
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"{self.name}: unknown time zone {self.timezone!r}") from None
        if self.max_attempts < 1:
            raise ValueError(f"{self.name}: max_attempts must be at least 1")
        if self.retry_backoff <= timedelta(0) or self.timeout <= timedelta(0):
            raise ValueError(f"{self.name}: retry_backoff and timeout must be positive")
        object.__setattr__(self, "cron", CronSchedule(self.schedule))

    @property
    def zone(self) -> ZoneInfo:
        """The zone of a global job's schedule."""
        return ZoneInfo(self.timezone or "UTC")

    def retry_delay(self, failed_attempts: int) -> timedelta:
        """Exponential backoff before the attempt after `failed_attempts` failures."""
        doublings: int = 2 ** max(failed_attempts - 1, 0)
        return self.retry_backoff * doublings


@dataclass(frozen=True)
class OrgSchedule:
    """An org as the scheduler sees it: per-org jobs run at local times of `timezone`."""

    org_id: uuid.UUID
    timezone: str  # IANA name, e.g. "America/Mexico_City"


OrgProvider = Callable[[], Awaitable[Sequence[OrgSchedule]]]


async def no_orgs() -> Sequence[OrgSchedule]:
    """The org provider until identity exists: per-org jobs have nobody to run for."""
    return ()
