"""`xentri events …`: watch the stream, inspect consumer groups, handle dead letters, replay."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

events_app = typer.Typer(
    help="The event spine: tail, stats, dead letters, replay.", no_args_is_help=True
)
dlq_app = typer.Typer(
    help="Dead letters: events a subscriber could not handle.", no_args_is_help=True
)
events_app.add_typer(dlq_app, name="dlq")

out = Console(soft_wrap=True)
T = TypeVar("T")


@asynccontextmanager
async def _spine() -> AsyncIterator[Any]:
    from xentri.cli import _settings
    from xentri.kernel.dataplane import start_data_plane
    from xentri.kernel.home import with_secret_key
    from xentri.runtime import connections

    settings = with_secret_key(_settings())
    plane = start_data_plane(settings, attach=True)
    try:
        async with connections(plane, name="xentri-cli") as conns:
            yield conns
    finally:
        plane.stop()


def _run_async(work: Callable[[Any], Awaitable[T]]) -> T:
    from xentri.cli import _run

    async def main() -> T:
        async with _spine() as conns:
            return await work(conns)

    return _run(lambda: asyncio.run(main()))


@events_app.command()
def tail(
    event_type: str | None = typer.Option(None, "--type", help="Only this event type."),
    org: str | None = typer.Option(None, help="Only this org id."),
    count: int = typer.Option(0, min=0, help="Stop after this many events (0: until Ctrl-C)."),
) -> None:
    """Print events as they reach the stream."""
    from xentri.kernel.events.envelope_rows import STREAM

    async def work(conns: Any) -> None:
        last, seen = "$", 0
        while count == 0 or seen < count:
            response: Any = await conns.redis.xread({STREAM: last}, block=1000, count=100)
            for _stream, entries in response or []:
                for entry_id, raw in entries:
                    last = entry_id
                    fields = {k.decode(): v.decode() for k, v in raw.items()}
                    if event_type and fields.get("type") != event_type:
                        continue
                    if org and fields.get("org_id") != org:
                        continue
                    event = json.loads(fields["event"])
                    out.print(
                        f"[dim]{event['occurred_at']}[/] [bold]{event['type']}[/] "
                        f"org={event['org_id']} seq={fields.get('org_seq')} "
                        f"trace={event.get('trace_id') or '-'} {json.dumps(event['payload'])}"
                    )
                    seen += 1

    _run_async(work)


@events_app.command()
def stats() -> None:
    """Per stream and consumer group: length, pending, lag; and the dead-letter depth."""
    from xentri.kernel.events.ops import stream_stats

    async def work(conns: Any) -> None:
        table = Table("stream", "group", "length", "pending", "lag")
        for row in await stream_stats(conns.redis):
            table.add_row(
                row.stream, row.group, str(row.length), str(row.pending), _or_dash(row.lag)
            )
        out.print(table)

    _run_async(work)


@dlq_app.command("list")
def dlq_list(
    include_archived: bool = typer.Option(False, "--all", help="Include archived letters."),
    limit: int = typer.Option(100, min=1),
) -> None:
    """Dead letters, newest first."""
    from xentri.kernel.events.ops import list_dead_letters

    async def work(conns: Any) -> None:
        letters = await list_dead_letters(
            system_engine=conns.system_engine, include_archived=include_archived, limit=limit
        )
        if not letters:
            out.print("No dead letters.")
            return
        table = Table()
        # Ids are what an operator copies into `dlq replay`: never shortened.
        for name in ("id", "when", "consumer", "type", "org"):
            table.add_column(name, no_wrap=True, min_width=36 if name in {"id", "org"} else None)
        for name in ("attempts", "error", "state"):
            table.add_column(name)
        for letter in letters:
            state = (
                "replayed" if letter.replayed_at else "archived" if letter.archived_at else "new"
            )
            table.add_row(
                str(letter.id),
                letter.created_at.isoformat(timespec="seconds"),
                letter.consumer,
                letter.event_type,
                str(letter.org_id),
                str(letter.attempts),
                letter.error[:80],
                state,
            )
        out.print(table)

    _run_async(work)


@dlq_app.command("replay")
def dlq_replay(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Dead letter ids (see `dlq list`).")
    ] = None,
    replay_all: bool = typer.Option(False, "--all", help="Replay every letter not yet replayed."),
    batch: int = typer.Option(100, min=1, help="Letters per batch with --all."),
) -> None:
    """Re-deliver dead letters to the subscriber that failed them."""
    from xentri.kernel.events.ops import replay_dead_letters

    if not ids and not replay_all:
        raise typer.BadParameter("give dead letter ids or --all")
    try:
        parsed = None if replay_all else [uuid.UUID(value) for value in ids or []]
    except ValueError as exc:
        raise typer.BadParameter(f"not a dead letter id: {exc}") from None

    async def work(conns: Any) -> None:
        count = await replay_dead_letters(
            system_engine=conns.system_engine, redis=conns.redis, ids=parsed, batch=batch
        )
        out.print(f"Replayed {count} dead letter(s).")

    _run_async(work)


@dlq_app.command("archive")
def dlq_archive() -> None:
    """Archive letters older than 24 h; forget archived ones after 30 days."""
    from xentri.kernel.events.ops import archive_dead_letters

    async def work(conns: Any) -> None:
        archived, purged = await archive_dead_letters(
            system_engine=conns.system_engine, redis=conns.redis
        )
        out.print(f"Archived {archived}, purged {purged}.")

    _run_async(work)


@events_app.command()
def replay(
    since: str = typer.Option(..., "--from", help="ISO time, e.g. 2026-11-01T00:00:00Z."),
    consumer: str = typer.Option(..., help="The subscriber (consumer group) to rebuild."),
    org: str | None = typer.Option(None, help="Only this org id."),
) -> None:
    """Re-deliver the log from a time to one subscriber, which handles it again."""
    from xentri.kernel.events.ops import replay_from

    try:
        start = datetime.fromisoformat(since.replace("Z", "+00:00"))
        org_id = uuid.UUID(org) if org else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if start.tzinfo is None:
        raise typer.BadParameter("--from needs a time zone (e.g. Z or +00:00)")

    async def work(conns: Any) -> None:
        count = await replay_from(
            system_engine=conns.system_engine,
            redis=conns.redis,
            consumer=consumer,
            since=start,
            org_id=org_id,
        )
        out.print(f"Re-delivered {count} event(s) to {consumer}.")

    _run_async(work)


def _or_dash(value: int | None) -> str:
    return "-" if value is None else str(value)
