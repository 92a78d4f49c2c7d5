"""`xentri modules …`: sync the catalogue file into the database, list modules, set a status."""

from __future__ import annotations

import asyncio
import getpass
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager

import structlog
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.catalog.domain import STATUSES, ModuleStatus
from xentri.catalog.sync import SyncReport, sync_database
from xentri.kernel.errors import DomainError, StartupError

modules_app = typer.Typer(
    help="The module catalogue: sync it from modules.yaml, list it, change a status.",
    no_args_is_help=True,
)
out = Console(soft_wrap=True)


def sync_after_migrations(owner_url: str) -> SyncReport:
    """Part of every migration run (`xentri migrate`, `xentri serve`): the catalogue shipped
    with this code is what the database shows, without undoing an admin's status."""
    try:
        report = asyncio.run(sync_database(owner_url))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StartupError(f"module catalogue sync failed: {reason}") from None
    if report.changed or report.kept_admin_status:
        # A log line, not console output: `xentri serve` may be logging JSON lines.
        structlog.get_logger("xentri.catalog").info(
            "module_catalogue_synced",
            added=len(report.added),
            updated=len(report.updated),
            status_changes=[
                f"{c.module_id}:{c.old_status}->{c.new_status}" for c in report.status_changes
            ],
            kept_admin_status=report.kept_admin_status,
            retired=report.retired,
        )
    return report


@modules_app.command("sync")
def sync(
    reset_statuses: bool = typer.Option(
        False, "--reset-statuses", help="Also undo statuses an admin set: the file wins."
    ),
) -> None:
    """Load modules.yaml into the database (idempotent; runs after every migration anyway)."""

    def step() -> None:
        with _owner_url() as owner_url:
            report = asyncio.run(sync_database(owner_url, reset_statuses=reset_statuses))
        _print_report(report)

    _run(step)


@modules_app.command("set-status")
def set_status(
    module_id: str = typer.Argument(..., help="A module id, e.g. finance.invoicing."),
    status: str = typer.Argument(..., help=f"One of: {', '.join(STATUSES)}."),
    by: str | None = typer.Option(
        None, help="Who decided (recorded in the event); defaults to your login name."
    ),
) -> None:
    """Change a module's status; recorded as xentri.module.status_changed.v1, kept by syncs."""
    from xentri.catalog import service

    if status not in STATUSES:
        _fail(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    new_status: ModuleStatus = status  # type: ignore[assignment]
    changed_by = by or _login_name()

    async def work(tx: AsyncSession) -> None:
        change = await service.set_status(
            tx=tx, module_id=module_id, status=new_status, changed_by=changed_by
        )
        if change is None:
            out.print(f"{module_id} is already {new_status}")
        else:
            out.print(f"[green]{module_id}: {change.old_status} → {change.new_status}[/]")

    _run_in_platform_org(work)


@modules_app.command("list")
def list_modules(
    status: str | None = typer.Option(None, help="Only modules with this status."),
    category: str | None = typer.Option(None, help="Only this category."),
) -> None:
    """Print modules with their status, where it came from, votes and priority score."""
    from sqlalchemy import select

    from xentri.catalog import service
    from xentri.catalog.tables import modules

    async def work(tx: AsyncSession) -> None:
        views = await service.list_modules(tx=tx, category=category)
        sources = dict((await tx.execute(select(modules.c.id, modules.c.status_source))).all())
        table = Table("module", "status", "set by", "votes", "score")
        for view in views:
            if status is None or view.status == status:
                table.add_row(
                    view.id,
                    view.status,
                    sources.get(view.id, "?"),
                    str(view.tally.votes),
                    str(view.tally.priority_score),
                )
        out.print(table)

    _run_in_platform_org(work)


def _print_report(report: SyncReport) -> None:
    out.print(
        f"modules: {len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.status_changes)} status changes, {len(report.retired)} retired"
    )
    for change in report.status_changes:
        out.print(f"  {change.module_id}: {change.old_status} → {change.new_status}")
    for module_id in report.kept_admin_status:
        out.print(f"  {module_id}: kept the status an admin set (--reset-statuses to undo)")


@asynccontextmanager
async def _platform_transaction(owner_url: str) -> AsyncIterator[AsyncSession]:
    from xentri.contracts.events import SYSTEM_ORG_ID
    from xentri.kernel.db.engine import create_engine
    from xentri.kernel.db.tenant import tenant_transaction

    # The owner writes the catalogue (the runtime role may only read it); events of the
    # platform org need that org's context to pass system_events' row-level security.
    engine = create_engine(owner_url, pool_size=1, application_name="xentri-cli")
    try:
        async with tenant_transaction(engine, SYSTEM_ORG_ID) as tx:
            yield tx
    finally:
        await engine.dispose()


def _run_in_platform_org(work: Callable[[AsyncSession], Awaitable[None]]) -> None:
    async def main(owner_url: str) -> None:
        async with _platform_transaction(owner_url) as tx:
            await work(tx)

    def step() -> None:
        with _owner_url() as owner_url:
            asyncio.run(main(owner_url))

    _run(step)


@contextmanager
def _owner_url() -> Iterator[str]:
    """The owner database URL, starting (or attaching to) the embedded PostgreSQL if needed."""
    from xentri.cli import _settings
    from xentri.kernel.dataplane import start_data_plane
    from xentri.kernel.home import with_secret_key

    settings = with_secret_key(_settings(redis_url="unused://"))
    plane = start_data_plane(settings, attach=True)
    try:
        yield plane.owner_database_url
    finally:
        plane.stop()


def _run(step: Callable[[], None]) -> None:
    from xentri.cli import _run as run_step

    def guarded() -> None:
        try:
            step()
        except DomainError as exc:
            raise StartupError(exc.detail) from None
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StartupError(f"database error: {reason}") from None

    run_step(guarded)


def _fail(message: str) -> None:
    from xentri.cli import err

    err.print(f"[bold red]xentri:[/] {message}")
    raise typer.Exit(1)


def _login_name() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
