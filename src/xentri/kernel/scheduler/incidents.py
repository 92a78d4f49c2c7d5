"""The incident a run raises when it has used up its attempts."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.contracts.events import Actor
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.events.ops_events import OpsIncident
from xentri.kernel.events.outbox import emit, new_event
from xentri.kernel.scheduler.runs import ClaimedRun

SOURCE = "scheduler"


async def report_job_failed(
    app_engine: AsyncEngine, run: ClaimedRun, *, attempts: int, error: str
) -> None:
    """Emit a P3 incident in the run's org; reporting the same run again emits nothing."""
    incident = OpsIncident(
        severity="P3",
        kind="job_failed",
        summary=f"Job {run.job} failed {attempts} times for its {run.slot.isoformat()} run"[:500],
        details={
            "job": run.job,
            "run_id": str(run.id),
            "slot": run.slot.isoformat(),
            "attempts": attempts,
            "error": error,
        },
    )
    event = new_event(
        incident,
        org_id=run.org_id,
        actor=Actor(type="job", id=run.job),
        source=SOURCE,
        correlation_id=str(run.id),
        # A scheduler that dies between reporting and recording the failure leaves the run to
        # be reported again by whoever takes over its lease: the dedupe key keeps it one event.
        dedupe_key=f"job_failed:{run.id}",
    )
    # system_events is written by the app role inside the org's transaction; the system role
    # only reads it.
    async with tenant_transaction(app_engine, run.org_id) as tx:
        await emit(tx, event)
