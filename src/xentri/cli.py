"""The `xentri` command."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from xentri.cli_agents import agents_app
from xentri.cli_events import events_app
from xentri.cli_modules import modules_app
from xentri.kernel.config import Settings, mask_url_password
from xentri.kernel.errors import StartupError
from xentri.kernel.home import with_secret_key

app = typer.Typer(
    help="Xentri: the business operating system for small businesses.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
schemas_app = typer.Typer(
    help="The event catalogue: JSON Schemas and AsyncAPI.", no_args_is_help=True
)
app.add_typer(schemas_app, name="schemas")
app.add_typer(events_app, name="events")
app.add_typer(modules_app, name="modules")
app.add_typer(agents_app, name="agents")
ROOT_OPTION = typer.Option(Path(), help="Repository root holding schemas/ and docs/events/.")

err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")


def _settings(**overrides: Any) -> Settings:
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise StartupError(f"invalid setting XENTRI_{field.upper()}: {first['msg']}") from None
    from xentri.kernel.logging import configure_logging

    configure_logging(level=settings.log_level, fmt=settings.log_format)
    return settings


def _run(step: Callable[[], T]) -> T:
    """Run a command step; expected failures become one red line and exit code 1."""
    try:
        return step()
    except StartupError as exc:
        err.print(f"[bold red]xentri:[/] {exc}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def _migrate(settings: Settings, plane: Any) -> None:
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from xentri.cli_modules import sync_after_migrations
    from xentri.kernel.db.migrate import migrate

    try:
        migrate(plane.owner_database_url, roles=plane.roles)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StartupError(
            f"cannot reach PostgreSQL at {mask_url_password(plane.owner_database_url)}: {reason}"
        ) from None
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        reason = str(orig or exc).strip().splitlines()[0]
        raise StartupError(f"migration failed: {reason}") from None
    # The catalogue is data shipped with the code, not schema: loaded after every migration
    # run rather than frozen into one migration (see xentri.catalog.sync).
    sync_after_migrations(plane.owner_database_url)


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Address to listen on (XENTRI_HOST)."),
    port: int | None = typer.Option(None, help="Port to listen on (XENTRI_PORT)."),
) -> None:
    """Start everything in one process tree: embedded PostgreSQL and Redis unless URLs are set."""
    _run(lambda: _serve(host=host, port=port))


def _serve(*, host: str | None, port: int | None) -> None:
    import asyncio

    import structlog

    from xentri.kernel.dataplane import start_data_plane
    from xentri.kernel.home import ensure_home
    from xentri.kernel.process import ensure_port_free, exclusive_home, terminate_as_interrupt

    settings = _settings(host=host, port=port)
    log = structlog.get_logger("xentri.serve")
    ensure_port_free(settings.host, settings.port)
    embedded = settings.uses_embedded_postgres or settings.uses_embedded_redis
    home_lock = exclusive_home(ensure_home(settings.home)) if embedded else contextlib.nullcontext()
    with terminate_as_interrupt(), home_lock:
        settings = with_secret_key(settings)
        plane = start_data_plane(settings)
        try:
            log.info(
                "data_plane_ready",
                postgres="embedded" if settings.uses_embedded_postgres else "external",
                redis="embedded" if settings.uses_embedded_redis else "external",
            )
            _migrate(settings, plane)
            # uvicorn re-raises the signal that stopped it once it has shut down.
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(_serve_everything(settings, plane))
        finally:
            plane.stop()
            log.info("stopped")


async def _serve_everything(settings: Settings, plane: Any) -> None:
    """The web app and the background work (relay, consumers, scheduler, the seven agent
    workers) in one event loop."""
    import asyncio

    import uvicorn

    from xentri.composition import ai_settings_from_environment, build_app, embedder_at_startup
    from xentri.kernel.http.serving import Server
    from xentri.runtime import run_agent_workers, run_consumers, run_relay, run_scheduler
    from xentri.subscriptions import all_subscriptions

    ai_settings = ai_settings_from_environment()
    embedder = embedder_at_startup()
    app = build_app(settings, plane, ai_settings=ai_settings)
    # Our server ends the open event streams (live Pulse) as soon as shutdown begins.
    server = Server(
        uvicorn.Config(
            app,
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            proxy_headers=True,
            server_header=False,
        ),
        app=app,
    )
    stop = asyncio.Event()
    background = asyncio.gather(
        run_relay(stop, settings=settings, plane=plane),
        run_consumers(stop, settings=settings, plane=plane, subscriptions=all_subscriptions()),
        run_scheduler(stop, plane=plane),
        run_agent_workers(stop, plane=plane, ai_settings=ai_settings, embedder=embedder),
    )
    try:
        await server.serve()
    finally:
        stop.set()
        await asyncio.wait_for(background, timeout=15)


@agents_app.command("run")
def agents_run(
    category: list[str] = typer.Option(  # noqa: B008 - typer reads options from defaults
        [], "--category", help="A category to run (repeatable); none: all seven."
    ),
) -> None:
    """Run agent workers (split shape): heartbeats, copilot answers and event reactions."""
    _run(lambda: _background("agents", categories=_known_categories(category)))


def _known_categories(chosen: list[str]) -> list[str]:
    from xentri.composition import agent_registry_at_startup

    known = [agent.category for agent in agent_registry_at_startup().copilots()]
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        raise StartupError(f"unknown category {unknown[0]!r}; one of: {', '.join(known)}")
    return chosen


@app.command()
def relay() -> None:
    """Move committed events from PostgreSQL to Redis Streams (split shape; any replicas)."""
    _run(lambda: _background("relay"))


@app.command()
def scheduler() -> None:
    """Run scheduled jobs (split shape); any number of replicas, each slot runs once."""
    _run(lambda: _background("scheduler"))


@app.command()
def consumers() -> None:
    """Run every event subscriber (split shape; any replicas share the consumer groups)."""
    _run(lambda: _background("consumers"))


def _background(kind: str, *, categories: list[str] | None = None) -> None:
    import asyncio
    import signal

    from xentri.composition import ai_settings_from_environment, embedder_at_startup
    from xentri.kernel.dataplane import start_data_plane
    from xentri.runtime import run_agent_workers, run_consumers, run_relay, run_scheduler
    from xentri.subscriptions import all_subscriptions

    settings = _settings()
    if settings.uses_embedded_postgres or settings.uses_embedded_redis:
        raise StartupError(
            f"`xentri {kind}` needs XENTRI_DATABASE_URL and XENTRI_REDIS_URL; "
            "`xentri serve` runs it in-process on the embedded default"
        )
    settings = with_secret_key(settings)
    ai_settings = ai_settings_from_environment() if kind == "agents" else None
    embedder = embedder_at_startup() if kind == "agents" else None
    plane = start_data_plane(settings)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if kind == "relay":
            await run_relay(stop, settings=settings, plane=plane)
        elif kind == "scheduler":
            await run_scheduler(stop, plane=plane)
        elif kind == "agents":
            await run_agent_workers(
                stop,
                plane=plane,
                ai_settings=ai_settings,
                categories=categories,
                embedder=embedder,
            )
        else:
            await run_consumers(
                stop, settings=settings, plane=plane, subscriptions=all_subscriptions()
            )

    asyncio.run(main())


@app.command()
def api(
    host: str | None = typer.Option(None, help="Address to listen on (XENTRI_HOST)."),
    port: int | None = typer.Option(None, help="Port to listen on (XENTRI_PORT)."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
) -> None:
    """Serve only the HTTP API against XENTRI_DATABASE_URL and XENTRI_REDIS_URL (split shape)."""
    _run(lambda: _api(host=host, port=port, workers=workers))


def _api(*, host: str | None, port: int | None, workers: int) -> None:
    import uvicorn

    from xentri.kernel.process import ensure_port_free

    settings = _settings(host=host, port=port)
    if settings.uses_embedded_postgres or settings.uses_embedded_redis:
        raise StartupError(
            "`xentri api` needs XENTRI_DATABASE_URL and XENTRI_REDIS_URL; "
            "use `xentri serve` for the embedded default"
        )
    ensure_port_free(settings.host, settings.port)
    with_secret_key(settings)
    uvicorn.run(
        "xentri.composition:app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        server_header=False,
        # uvicorn.run builds its own server, which cannot end the open event streams (live
        # Pulse) when shutdown begins: they are cut after this many seconds instead.
        timeout_graceful_shutdown=5,
    )


@app.command()
def migrate() -> None:
    """Apply database migrations as the owner role (starts embedded PostgreSQL if needed)."""

    def step() -> None:
        from xentri.kernel.dataplane import start_data_plane

        settings = with_secret_key(_settings(redis_url="unused://"))
        plane = start_data_plane(settings)
        try:
            _migrate(settings, plane)
        finally:
            plane.stop()
        err.print("[green]migrations applied[/]")

    _run(step)


@db_app.command("check")
def db_check() -> None:
    """Fail when the tables in code and the migrations disagree (schema drift)."""

    def step() -> None:
        from xentri.kernel.dataplane import start_data_plane
        from xentri.kernel.db.migrate import schema_drift

        settings = with_secret_key(_settings(redis_url="unused://"))
        plane = start_data_plane(settings)
        try:
            _migrate(settings, plane)
            drift = schema_drift(plane.owner_database_url, roles=plane.roles)
        finally:
            plane.stop()
        if drift:
            raise StartupError(f"schema drift: {drift}")
        err.print("[green]no schema drift[/]")

    _run(step)


@app.command()
def doctor() -> None:
    """Check tenant isolation in the catalog: forced RLS and fail-closed policies on every
    table with org_id, and runtime roles that cannot bypass them."""

    def step() -> None:
        from sqlalchemy import create_engine, pool

        from xentri.kernel.dataplane import start_data_plane
        from xentri.kernel.db.doctor import examine
        from xentri.kernel.db.urls import sqlalchemy_url

        settings = with_secret_key(_settings(redis_url="unused://"))
        plane = start_data_plane(settings, attach=True)
        try:
            _migrate(settings, plane)
            engine = create_engine(
                sqlalchemy_url(plane.owner_database_url), poolclass=pool.NullPool
            )
            with engine.connect() as conn:
                findings = examine(
                    conn, runtime_roles=(plane.roles.app.name, plane.roles.system.name)
                )
            engine.dispose()
        finally:
            plane.stop()
        for finding in findings:
            err.print(f"[red]✗[/] {finding.subject}: {finding.problem}")
        if findings:
            raise StartupError(f"{len(findings)} isolation problem(s) found")
        err.print("[green]tenant isolation: every table with org_id is forced and fail-closed[/]")

    _run(step)


@schemas_app.command("export")
def schemas_export(root: Path = ROOT_OPTION) -> None:
    """Write the JSON Schemas and the AsyncAPI document the code defines."""
    from xentri.composition import EVENT_MODULES
    from xentri.kernel.events.export import catalogue, write_exports

    for path in write_exports(root, events=catalogue(EVENT_MODULES)):
        err.print(f"updated {path}")


@schemas_app.command("check")
def schemas_check(root: Path = ROOT_OPTION) -> None:
    """Fail when the committed schemas differ from what the code generates."""

    def step() -> None:
        from xentri.composition import EVENT_MODULES
        from xentri.kernel.events.export import catalogue, stale_exports

        if stale := stale_exports(root, events=catalogue(EVENT_MODULES)):
            raise StartupError(
                f"schemas out of date ({'; '.join(stale)}); run `xentri schemas export`"
            )
        err.print("[green]schemas up to date[/]")

    _run(step)


@app.command("config")
def show_config() -> None:
    """Print the effective configuration with secrets masked."""

    def step() -> None:
        settings = with_secret_key(_settings())
        sys.stdout.write(json.dumps(settings.masked(), indent=2, sort_keys=True) + "\n")

    _run(step)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
