"""Every scheduled job of the system. Categories add theirs here as they land."""

from __future__ import annotations

from xentri.ai.memory import dreaming_job_for
from xentri.categories.finance.invoice_mail_outbox import Delivery, send_pending_invoice_emails
from xentri.categories.finance.overdue import overdue_job
from xentri.composition import ai_settings_from_environment, mailer_for
from xentri.kernel.config import Settings
from xentri.kernel.events.ops import archive_dead_letters
from xentri.kernel.scheduler.jobs import JobContext, JobSpec
from xentri.kernel.storage import LocalObjectStorage
from xentri.notifications.email_outbox import send_pending_emails
from xentri.runtime import Connections


def all_jobs(conns: Connections) -> list[JobSpec]:
    async def archive_dlq(_ctx: JobContext) -> None:
        await archive_dead_letters(system_engine=conns.system_engine, redis=conns.redis)

    settings = Settings()
    mailer = mailer_for(settings)
    base_url = (settings.public_url or f"http://{settings.host}:{settings.port}").rstrip("/")

    async def notification_emails(_ctx: JobContext) -> None:
        await send_pending_emails(engine=conns.system_engine, mailer=mailer, base_url=base_url)

    # Org logos live where the shell keeps them (XENTRI_HOME/objects, shell/app.py).
    invoice_delivery = Delivery(
        mailer=mailer, storage=LocalObjectStorage(settings.home / "objects"), base_url=base_url
    )

    async def invoice_emails(_ctx: JobContext) -> None:
        await send_pending_invoice_emails(
            system_engine=conns.system_engine,
            app_engine=conns.app_engine,
            delivery=invoice_delivery,
        )

    return [
        # Idempotent by nature: a repeat after a crash finds nothing more to archive.
        JobSpec(name="events.dlq_archive", schedule="17 * * * *", handler=archive_dlq),
        # ADR-006: each org's agents distil their personas at 02:00 in the org's time zone.
        dreaming_job_for(
            engine=conns.app_engine, redis=conns.redis, settings=ai_settings_from_environment()
        ),
        # ADR 0017: notifications' emails leave after their transaction committed, at most once
        # each (a row is claimed before it is sent); a rerun finds nothing more to send.
        JobSpec(name="notifications.email", schedule="* * * * *", handler=notification_emails),
        # ADR 0022: issued invoices' emails (PDF attached) leave the same way, at most once each.
        JobSpec(name="finance.invoice_emails", schedule="* * * * *", handler=invoice_emails),
        # Each org's newly overdue invoices, flagged once each, just after its midnight.
        overdue_job(),
    ]
