"""The scheduler against the real database: once per slot across replicas, catch-up, retries.

Time comes from a fake clock the tests move; nothing waits on the wall clock. Every test uses
its own job names and orgs, so the shared database needs no clean-up between tests.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from tests.support.db import as_org
from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.kernel.db.engine import create_engine
from xentri.kernel.db.tenant import system_transaction
from xentri.kernel.events.tables import job_runs
from xentri.kernel.scheduler.jobs import JobContext, JobSpec, OrgSchedule
from xentri.kernel.scheduler.scheduler import Scheduler

pytestmark = pytest.mark.integration

INCIDENT = "xentri.ops.incident.v1"


class FakeClock:
    def __init__(self, now: str) -> None:
        self.now = utc(now)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def utc(text_: str) -> datetime:
    return datetime.fromisoformat(text_).replace(tzinfo=UTC)


def job_name(purpose: str) -> str:
    return f"test.{purpose}.{uuid.uuid4().hex[:8]}"


def orgs_in(*zones: str) -> list[OrgSchedule]:
    return [OrgSchedule(uuid.uuid4(), zone) for zone in zones]


def provide(orgs: Sequence[OrgSchedule]):
    async def org_provider() -> Sequence[OrgSchedule]:
        return orgs

    return org_provider


class Effects:
    """A handler that counts what it did, per org and slot, and can be told to fail."""

    def __init__(self, *, failures: int = 0, clock: FakeClock | None = None) -> None:
        self.failures_left = failures
        self.clock = clock
        self.done: Counter[tuple[uuid.UUID, datetime]] = Counter()
        self.attempts: list[tuple[uuid.UUID, datetime, int]] = []
        self.ran_at: dict[tuple[uuid.UUID, datetime], datetime] = {}

    async def __call__(self, context: JobContext) -> None:
        self.attempts.append((context.org_id, context.slot, context.attempt))
        await asyncio.sleep(0)  # let a concurrent scheduler interleave here
        if self.failures_left:
            self.failures_left -= 1
            raise RuntimeError("boom")
        self.done[(context.org_id, context.slot)] += 1
        if self.clock is not None:
            self.ran_at[(context.org_id, context.slot)] = self.clock()


@pytest.fixture
async def make_scheduler(servers):
    """Build schedulers with their own engines, as separate replicas would have."""
    engines = []

    def build(jobs: Sequence[JobSpec], clock: FakeClock, **options) -> Scheduler:
        system = create_engine(servers.system_url, pool_size=2, application_name="test-sched")
        app = create_engine(servers.app_url, pool_size=4, application_name="test-sched")
        engines.extend([system, app])
        options.setdefault("retry_jitter", 0)
        return Scheduler(jobs=jobs, system_engine=system, app_engine=app, clock=clock, **options)

    yield build
    for engine in engines:
        await engine.dispose()


async def runs_of(engine, job: str) -> list:
    async with system_transaction(engine) as tx:
        result = await tx.execute(
            select(job_runs).where(job_runs.c.job == job).order_by(job_runs.c.slot)
        )
        return list(result.all())


async def insert_run(engine, **values) -> None:
    async with system_transaction(engine) as tx:
        await tx.execute(job_runs.insert().values(id=uuid.uuid4(), **values))


def incidents(owner_conn, org_id: uuid.UUID, job: str) -> list:
    # system_events has forced RLS, the owner included: read inside the org's transaction.
    with as_org(owner_conn, org_id):
        return owner_conn.execute(
            "select actor, payload, dedupe_key, correlation_id from system_events"
            " where org_id = %s and type = %s and payload->'details'->>'job' = %s",
            (org_id, INCIDENT, job),
        ).fetchall()


async def test_two_schedulers_ticking_together_run_each_slot_exactly_once(
    make_scheduler, system_engine
):
    # Given two replicas with the same hourly jobs: one per org (six whole-hour zones), one global
    clock = FakeClock("2025-01-15T10:00:30")
    orgs = orgs_in(
        "Europe/Madrid",
        "America/New_York",
        "America/Mexico_City",
        "Asia/Tokyo",
        "UTC",
        "America/Sao_Paulo",
    )
    per_org, global_ = Effects(), Effects()
    jobs = [
        JobSpec(name=job_name("hourly-org"), schedule="0 * * * *", handler=per_org, per_org=True),
        JobSpec(name=job_name("hourly"), schedule="0 * * * *", handler=global_),
    ]
    replicas = [
        make_scheduler(jobs, clock, org_provider=provide(orgs), max_concurrent_runs=2)
        for _ in range(2)
    ]

    # When both tick at the same moments, four hours in a row
    started = 0
    for _ in range(4):
        reports = await asyncio.gather(*(replica.tick() for replica in replicas))
        started += sum(report.started for report in reports)
        clock.advance(hours=1)

    # Then every org's slot and every global slot ran once, no more
    slots = [utc(f"2025-01-15T{hour}:00:00") for hour in (10, 11, 12, 13)]
    assert per_org.done == Counter({(org.org_id, slot): 1 for org in orgs for slot in slots})
    assert global_.done == Counter({(SYSTEM_ORG_ID, slot): 1 for slot in slots})
    assert started == 28
    assert [row.status for row in await runs_of(system_engine, jobs[1].name)] == ["succeeded"] * 4


async def test_a_scheduler_down_for_three_slots_runs_only_the_latest_on_return(
    make_scheduler, system_engine
):
    # Given an hourly job that ran at 10:00
    clock = FakeClock("2025-01-15T10:00:30")
    effects = Effects()
    name = job_name("catch-up")
    scheduler = make_scheduler([JobSpec(name=name, schedule="0 * * * *", handler=effects)], clock)
    await scheduler.tick()

    # When the scheduler is away for the 11:00, 12:00 and 13:00 slots and comes back at 13:40
    clock.now = utc("2025-01-15T13:40:00")
    report = await scheduler.tick()
    again = await scheduler.tick()

    # Then it catches up once, with the latest slot, and not again
    assert report.started == 1
    assert again.started == 0
    assert sorted(effects.done) == [
        (SYSTEM_ORG_ID, utc("2025-01-15T10:00:00")),
        (SYSTEM_ORG_ID, utc("2025-01-15T13:00:00")),
    ]
    assert len(await runs_of(system_engine, name)) == 2


async def test_a_failing_job_backs_off_and_ends_failed_with_one_incident(
    make_scheduler, owner_conn, system_engine
):
    # Given a per-org job that always fails, with a one-minute backoff base
    clock = FakeClock("2025-01-15T08:00:30")  # 02:00:30 in Mexico City
    (org,) = orgs_in("America/Mexico_City")
    effects = Effects(failures=99)
    name = job_name("failing")
    job = JobSpec(
        name=name,
        schedule="0 2 * * *",
        handler=effects,
        per_org=True,
        retry_backoff=timedelta(minutes=1),
    )
    scheduler = make_scheduler([job], clock, org_provider=provide([org]))

    # When it is attempted, then retried only once each backoff has passed
    first = await scheduler.tick()
    (run,) = await runs_of(system_engine, name)
    clock.advance(seconds=59)
    too_early = await scheduler.tick()
    clock.advance(seconds=1)
    second = await scheduler.tick()
    (run_after_second,) = await runs_of(system_engine, name)
    clock.advance(seconds=119)
    still_too_early = await scheduler.tick()
    clock.advance(seconds=1)
    third = await scheduler.tick()
    after_failure = await scheduler.tick()

    # Then the backoff doubled, the third failure ended the run, and one incident was raised
    assert (first.retrying, second.retrying, third.failed) == (1, 1, 1)
    assert too_early.started == still_too_early.started == after_failure.started == 0
    assert run.status == "retrying"
    assert run.attempts == 1
    assert run.next_attempt_at == utc("2025-01-15T08:01:30")
    assert run.error == "RuntimeError: boom"
    assert run_after_second.next_attempt_at == utc("2025-01-15T08:03:30")
    slot = utc("2025-01-15T08:00:00")
    assert effects.attempts == [(org.org_id, slot, 1), (org.org_id, slot, 2), (org.org_id, slot, 3)]
    (final,) = await runs_of(system_engine, name)
    assert (final.status, final.attempts, final.next_attempt_at) == ("failed", 3, None)
    assert final.finished_at == utc("2025-01-15T08:03:30")

    (incident,) = incidents(owner_conn, org.org_id, name)
    actor, payload, dedupe_key, correlation_id = incident
    assert actor == {"type": "job", "id": name}
    assert payload["severity"] == "P3"
    assert payload["kind"] == "job_failed"
    assert payload["details"]["attempts"] == 3
    assert payload["details"]["error"] == "RuntimeError: boom"
    assert payload["details"]["slot"] == slot.isoformat()
    assert correlation_id == str(final.id)
    assert dedupe_key == f"job_failed:{final.id}"


async def test_a_job_that_fails_once_then_succeeds_raises_no_incident(
    make_scheduler, owner_conn, system_engine
):
    clock = FakeClock("2025-01-15T02:00:10")
    effects = Effects(failures=1)
    name = job_name("flaky")
    job = JobSpec(
        name=name, schedule="0 2 * * *", handler=effects, retry_backoff=timedelta(seconds=30)
    )
    scheduler = make_scheduler([job], clock)

    await scheduler.tick()
    clock.advance(seconds=30)
    report = await scheduler.tick()

    assert report.succeeded == 1
    (run,) = await runs_of(system_engine, name)
    assert (run.status, run.attempts, run.error) == ("succeeded", 2, None)
    assert incidents(owner_conn, SYSTEM_ORG_ID, name) == []


async def test_a_global_job_failure_is_reported_in_the_platform_org(make_scheduler, owner_conn):
    clock = FakeClock("2025-01-15T02:00:10")
    name = job_name("global-failing")
    job = JobSpec(name=name, schedule="0 2 * * *", handler=Effects(failures=1), max_attempts=1)
    scheduler = make_scheduler([job], clock)

    report = await scheduler.tick()

    assert report.failed == 1
    assert len(incidents(owner_conn, SYSTEM_ORG_ID, name)) == 1


async def test_an_attempt_past_its_timeout_is_cut_off_and_counts_as_failed(
    make_scheduler, system_engine
):
    # Given a handler that would wait forever, and a timeout that has passed as soon as it starts
    clock = FakeClock("2025-01-15T02:00:10")
    name = job_name("slow")
    never = asyncio.Event()

    async def handler(_context: JobContext) -> None:
        await never.wait()

    job = JobSpec(
        name=name,
        schedule="0 2 * * *",
        handler=handler,
        timeout=timedelta(microseconds=1),
        max_attempts=1,
    )
    scheduler = make_scheduler([job], clock)

    report = await scheduler.tick()

    assert report.failed == 1
    (run,) = await runs_of(system_engine, name)
    assert (run.status, run.error) == ("failed", "timed out after 0:00:00.000001")


async def test_a_run_whose_scheduler_died_is_taken_over_once_its_lease_expires(
    make_scheduler, system_engine
):
    # Given a run left 'running' by a scheduler that died, its lease five minutes from expiry
    clock = FakeClock("2025-01-15T02:10:00")
    effects = Effects()
    name = job_name("abandoned")
    slot = utc("2025-01-15T02:00:00")
    await insert_run(
        system_engine,
        job=name,
        org_id=SYSTEM_ORG_ID,
        slot=slot,
        status="running",
        attempts=1,
        started_at=utc("2025-01-15T02:00:05"),
        next_attempt_at=utc("2025-01-15T02:15:00"),
    )
    scheduler = make_scheduler([JobSpec(name=name, schedule="0 2 * * *", handler=effects)], clock)

    # When a live scheduler ticks while the lease holds, and again once it has run out
    while_leased = await scheduler.tick()
    clock.now = utc("2025-01-15T02:15:00")
    after_expiry = await scheduler.tick()

    # Then it leaves the run alone, then takes it over as the second attempt
    assert while_leased.started == 0
    assert after_expiry.succeeded == 1
    assert effects.attempts == [(SYSTEM_ORG_ID, slot, 2)]
    (run,) = await runs_of(system_engine, name)
    assert (run.status, run.attempts) == ("succeeded", 2)


async def test_a_run_that_died_on_its_last_attempt_is_failed_and_reported(
    make_scheduler, system_engine, owner_conn
):
    clock = FakeClock("2025-01-15T03:00:00")
    effects = Effects()
    name = job_name("died-last")
    await insert_run(
        system_engine,
        job=name,
        org_id=SYSTEM_ORG_ID,
        slot=utc("2025-01-15T02:00:00"),
        status="running",
        attempts=3,
        error="RuntimeError: earlier",
        next_attempt_at=utc("2025-01-15T02:30:00"),
    )
    scheduler = make_scheduler([JobSpec(name=name, schedule="0 2 * * *", handler=effects)], clock)

    report = await scheduler.tick()

    assert report.failed == 1
    assert effects.attempts == []
    (run,) = await runs_of(system_engine, name)
    assert (run.status, run.attempts) == ("failed", 3)
    ((_, payload, _, _),) = incidents(owner_conn, SYSTEM_ORG_ID, name)
    assert payload["details"]["error"] == (
        "the scheduler stopped during attempt 3; last error: RuntimeError: earlier"
    )


async def test_a_per_org_job_runs_at_0200_local_in_each_orgs_zone(make_scheduler):
    # Given a 02:00 job and orgs in three zones; New York springs forward on 2025-03-09
    clock = FakeClock("2025-03-08T00:00:00")
    madrid, new_york, mexico = orgs_in("Europe/Madrid", "America/New_York", "America/Mexico_City")
    effects = Effects(clock=clock)
    job = JobSpec(name=job_name("nightly"), schedule="0 2 * * *", handler=effects, per_org=True)
    scheduler = make_scheduler([job], clock, org_provider=provide([madrid, new_york, mexico]))

    # When the scheduler ticks every 15 minutes for two and a half days
    while clock.now <= utc("2025-03-10T12:00:00"):
        await scheduler.tick()
        clock.advance(minutes=15)

    # Then each org ran once a night at 02:00 its time (03:00 when 02:00 did not exist),
    # after catching up the night before the scheduler started
    def slots_of(org: OrgSchedule) -> list[str]:
        zone = ZoneInfo(org.timezone)
        return sorted(
            slot.astimezone(zone).isoformat()
            for org_id, slot in effects.done
            if org_id == org.org_id
        )

    assert slots_of(madrid) == [
        "2025-03-07T02:00:00+01:00",
        "2025-03-08T02:00:00+01:00",
        "2025-03-09T02:00:00+01:00",
        "2025-03-10T02:00:00+01:00",
    ]
    assert slots_of(new_york) == [
        "2025-03-07T02:00:00-05:00",
        "2025-03-08T02:00:00-05:00",
        "2025-03-09T03:00:00-04:00",
        "2025-03-10T02:00:00-04:00",
    ]
    assert slots_of(mexico) == [
        "2025-03-07T02:00:00-06:00",
        "2025-03-08T02:00:00-06:00",
        "2025-03-09T02:00:00-06:00",
        "2025-03-10T02:00:00-06:00",
    ]
    assert set(effects.done.values()) == {1}
    on_time = [
        ran_at - slot
        for (_, slot), ran_at in effects.ran_at.items()
        if slot >= utc("2025-03-08T00:00:00")
    ]
    assert len(on_time) == 9
    assert all(timedelta(0) <= delay < timedelta(minutes=15) for delay in on_time)


async def test_a_replica_whose_clock_lags_never_runs_a_slot_older_than_one_already_run(
    make_scheduler, system_engine
):
    # Given the 12:00 run is recorded and the 11:00 one never happened (the system was down)
    name = job_name("lagging")
    await insert_run(
        system_engine,
        job=name,
        org_id=SYSTEM_ORG_ID,
        slot=utc("2025-01-15T12:00:00"),
        status="succeeded",
        attempts=1,
    )
    effects = Effects()
    clock = FakeClock("2025-01-15T11:59:59")
    scheduler = make_scheduler([JobSpec(name=name, schedule="0 * * * *", handler=effects)], clock)

    # When a replica whose clock is a second behind ticks
    report = await scheduler.tick()

    # Then it does not go back to 11:00
    assert report.started == 0
    assert effects.attempts == []


async def test_an_attempt_interrupted_by_shutdown_is_handed_back_uncounted(
    make_scheduler, system_engine
):
    # Given an attempt in progress
    clock = FakeClock("2025-01-15T02:00:10")
    name = job_name("interrupted")
    entered, release_handler = asyncio.Event(), asyncio.Event()
    attempts: list[int] = []

    async def handler(context: JobContext) -> None:
        attempts.append(context.attempt)
        if len(attempts) == 1:
            entered.set()
            await release_handler.wait()  # never set: the scheduler is stopped first

    scheduler = make_scheduler([JobSpec(name=name, schedule="0 2 * * *", handler=handler)], clock)
    tick = asyncio.create_task(scheduler.tick())
    await entered.wait()

    # When the scheduler is stopped mid-run
    tick.cancel()
    with pytest.raises(asyncio.CancelledError):
        await tick

    # Then the run is due again at once, without the interrupted attempt counting
    (run,) = await runs_of(system_engine, name)
    assert (run.status, run.attempts, run.next_attempt_at) == ("retrying", 0, clock.now)
    report = await scheduler.tick()
    assert report.succeeded == 1
    assert attempts == [1, 1]


async def test_an_org_with_an_unknown_time_zone_is_skipped_and_the_others_run(make_scheduler):
    clock = FakeClock("2025-01-15T12:00:00")
    good, bad = orgs_in("Europe/Madrid", "Mars/Olympus_Mons")
    effects = Effects()
    job = JobSpec(name=job_name("zones"), schedule="0 2 * * *", handler=effects, per_org=True)
    scheduler = make_scheduler([job], clock, org_provider=provide([good, bad]))

    await scheduler.tick()

    assert list(effects.done) == [(good.org_id, utc("2025-01-15T01:00:00"))]


async def test_run_ticks_until_stopped(make_scheduler):
    clock = FakeClock("2025-01-15T02:00:10")
    stop = asyncio.Event()
    ran: list[datetime] = []

    async def handler(context: JobContext) -> None:
        ran.append(context.slot)
        stop.set()

    scheduler = make_scheduler(
        [JobSpec(name=job_name("loop"), schedule="0 2 * * *", handler=handler)], clock
    )

    await scheduler.run(stop=stop, interval=3600)

    assert ran == [utc("2025-01-15T02:00:00")]


async def test_once_stopped_a_tick_claims_nothing_more_and_the_rest_runs_next_time(
    make_scheduler,
):
    # Given three orgs due, run one at a time, and a stop requested during the first run
    clock = FakeClock("2025-01-15T12:00:00")
    orgs = orgs_in("UTC", "UTC", "UTC")
    stop = asyncio.Event()
    ran: list[uuid.UUID] = []

    async def handler(context: JobContext) -> None:
        ran.append(context.org_id)
        stop.set()

    job = JobSpec(name=job_name("stopping"), schedule="0 2 * * *", handler=handler, per_org=True)
    scheduler = make_scheduler([job], clock, org_provider=provide(orgs), max_concurrent_runs=1)

    # When that tick ends and the next scheduler to start ticks
    stopped = await scheduler.tick(stop=stop)
    resumed = await scheduler.tick()

    # Then the stopped tick ran one org and left the others, which ran next
    assert (stopped.started, resumed.started) == (1, 2)
    assert sorted(ran) == sorted(org.org_id for org in orgs)


async def test_handlers_work_in_their_orgs_tenant_transaction(make_scheduler):
    clock = FakeClock("2025-01-15T12:00:00")
    (org,) = orgs_in("UTC")
    seen: list[str] = []

    async def handler(context: JobContext) -> None:
        async with context.transaction() as tx:
            setting = "select current_setting('app.current_org_id', true)"
            seen.append((await tx.execute(text(setting))).scalar_one())

    job = JobSpec(name=job_name("tenant"), schedule="0 2 * * *", handler=handler, per_org=True)
    scheduler = make_scheduler([job], clock, org_provider=provide([org]))

    await scheduler.tick()

    assert seen == [str(org.org_id)]
