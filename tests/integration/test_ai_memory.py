"""Tri-state memory against the real database and Redis: the journal (recorded once per event,
full-text search in English and Spanish, isolated per org), the Brief cache, and dreaming."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pydantic_ai import ModelMessage, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.db import as_org
from tests.support.spine import drain, emit_committed, make_consumer
from xentri.ai.config import AiSettings
from xentri.ai.memory import (
    Recall,
    brief_invalidation,
    brief_key,
    brief_text,
    current_persona,
    dream,
    dreaming_job,
    journal_reaction,
    latest_persona,
    recall,
    record_episode,
    search_episodes,
)
from xentri.ai.memory.personas import store_persona
from xentri.ai.offline_model import offline_model
from xentri.ai.registry import load_agent_registry
from xentri.ai.runner import AgentRunner
from xentri.contracts.events import Actor, EventMeta, SystemEvent
from xentri.identity.events import OrgSettingsChanged
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.events.outbox import new_event
from xentri.kernel.scheduler.jobs import OrgSchedule
from xentri.kernel.scheduler.scheduler import Scheduler

pytestmark = pytest.mark.integration

SLOT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # 02:00 in Mexico City


def overdue(org: uuid.UUID, customer: str, *, days_before: int) -> SystemEvent:
    return SystemEvent(
        type="xentri.invoice.overdue.v1",
        org_id=org,
        actor=Actor(type="job", id="finance.overdue"),
        payload_schema="invoice.overdue@1.0",
        payload={
            "invoice_id": str(uuid.uuid4()),
            "customer": customer,
            "amount_minor": 125000,
            "currency": "MXN",
        },
        occurred_at=SLOT - timedelta(days=days_before),
        meta=EventMeta(source="tests"),
    )


async def episodes_of(engine: AsyncEngine, org: uuid.UUID, query: str, **options) -> list:
    async with tenant_transaction(engine, org) as tx:
        return await search_episodes(tx=tx, query=query, **options)


async def journal(engine: AsyncEngine, org: uuid.UUID, *episodes: dict) -> None:
    async with tenant_transaction(engine, org) as tx:
        for episode in episodes:
            await record_episode(tx=tx, org_id=org, **episode)


# Episodic memory


async def test_an_event_is_journaled_once_however_often_it_is_recorded(app_engine, owner_conn):
    # Given an overdue-invoice event and the Finance Co-pilot's journal reaction
    org = uuid.uuid4()
    event = overdue(org, "Panadería Lupita", days_before=2)
    react = journal_reaction(["finance.copilot"])

    # When the event is handled twice (a redelivery)
    for _ in range(2):
        async with tenant_transaction(app_engine, org) as tx:
            await react(event, tx)

    # Then one readable episode exists, the identifiers left out of its body
    with as_org(owner_conn, org):
        rows = owner_conn.execute(
            "select kind, agent_id, event_type, title, body, source_event_id, occurred_at"
            " from memory_episodes"
        ).fetchall()
    assert rows == [
        (
            "event",
            "finance.copilot",
            "xentri.invoice.overdue.v1",
            "Invoice overdue",
            "customer: Panadería Lupita\namount minor: 125000\ncurrency: MXN",
            event.id,
            event.occurred_at,
        )
    ]


async def test_two_categories_following_one_event_journal_it_once(
    app_engine, redis_client, relay, stream, owner_conn
):
    # Given two agent workers' consumer groups that both journal org settings changes
    org = uuid.uuid4()
    event_type = "xentri.org.settings_changed.v1"
    consumers = [
        make_consumer(
            f"agents.{category}-{uuid.uuid4().hex[:6]}",
            {event_type: journal_reaction(agents)},
            engine=app_engine,
            redis=redis_client,
            stream=stream,
        )
        for category, agents in (("strategy", ["strategy.copilot"]), ("team", ["team.copilot"]))
    ]
    event = new_event(
        OrgSettingsChanged(changed=["currency", "time_zone"]),
        org_id=org,
        actor=Actor(type="user", id="owner"),
        source="tests",
    )

    # When the event is emitted, relayed and consumed by both
    await emit_committed(app_engine, [event])
    await drain(relay, consumers)

    # Then the journal holds it once
    with as_org(owner_conn, org):
        rows = owner_conn.execute(
            "select title, body, source_event_id from memory_episodes"
        ).fetchall()
    assert rows == [("Org settings changed", "changed: currency, time_zone", event.id)]


async def test_recording_without_a_source_event_always_adds_an_episode(app_engine):
    org = uuid.uuid4()
    async with tenant_transaction(app_engine, org) as tx:
        first = await record_episode(
            tx=tx, org_id=org, kind="decision", title="Open on Sundays", body=""
        )
        second = await record_episode(
            tx=tx, org_id=org, kind="decision", title="Open on Sundays", body=""
        )
    assert first is not None
    assert second is not None
    assert first != second


async def test_an_unknown_kind_is_refused(app_engine):
    org = uuid.uuid4()
    async with tenant_transaction(app_engine, org) as tx:
        with pytest.raises(ValueError, match="kind"):
            await record_episode(tx=tx, org_id=org, kind="rumour", title="x", body="y")  # type: ignore[arg-type]


MIXED_JOURNAL = (
    {
        "kind": "decision",
        "title": "Raise the latte price to 4.50",
        "body": "Milk costs rose 20% since August; Ana decided the latte goes from 4.00 to 4.50.",
        "agent_id": "finance.copilot",
    },
    {
        "kind": "outcome",
        "title": "Facturación de octubre",
        "body": "La facturación subió un 12% después de la campaña en Instagram.",
    },
    {
        "kind": "conversation",
        "title": "Pedido de Café Olé",
        "body": "El cliente pidió envío a domicilio los sábados y factura con RFC.",
    },
    {
        "kind": "conversation",
        "title": "Weekly check-in",
        "body": "We talked about the price of pastries; the latte stays a best seller.",
    },
)


async def test_full_text_search_finds_english_and_spanish_with_or_without_accents(app_engine):
    # Given a journal that mixes English and Spanish
    org = uuid.uuid4()
    await journal(app_engine, org, *MIXED_JOURNAL)

    # When it is searched the way owners type
    latte = await episodes_of(app_engine, org, "latte price")
    accented = await episodes_of(app_engine, org, "facturación")
    unaccented = await episodes_of(app_engine, org, "facturacion octubre")
    shouting = await episodes_of(app_engine, org, "CAFE OLE")
    phrase = await episodes_of(app_engine, org, '"envío a domicilio" -pastries')
    decisions_only = await episodes_of(app_engine, org, "latte", kinds=["decision"])
    nothing = await episodes_of(app_engine, org, "cancelled subscription")

    # Then the episode about it comes first: a match in the title outranks one in the body
    assert [e.title for e in latte] == ["Raise the latte price to 4.50", "Weekly check-in"]
    assert latte[0].rank > latte[1].rank > 0
    assert latte[0].agent_id == "finance.copilot"
    assert [e.title for e in accented] == ["Facturación de octubre"]
    assert [e.title for e in unaccented] == ["Facturación de octubre"]
    assert [e.title for e in shouting] == ["Pedido de Café Olé"]
    assert [e.title for e in phrase] == ["Pedido de Café Olé"]
    assert [e.kind for e in decisions_only] == ["decision"]
    assert nothing == []


async def test_another_org_never_sees_the_journal(app_engine, owner_conn):
    # Given org A's journal, including a journaled event
    org_a, org_b = uuid.uuid4(), uuid.uuid4()
    await journal(app_engine, org_a, *MIXED_JOURNAL)
    event = overdue(org_a, "Café Olé", days_before=1)
    async with tenant_transaction(app_engine, org_a) as tx:
        await journal_reaction(["finance.copilot"])(event, tx)

    # When org B searches for A's words, and records an episode from the same event id
    seen_by_b = await episodes_of(app_engine, org_b, "latte OR facturación OR café")
    async with tenant_transaction(app_engine, org_b) as tx:
        recorded_by_b = await record_episode(
            tx=tx,
            org_id=org_b,
            kind="event",
            title="Invoice overdue",
            body="",
            source_event_id=event.id,
        )
        # and tries to write into A's journal from its own transaction
        with pytest.raises(Exception, match="row-level security"):
            async with tx.begin_nested():
                await record_episode(tx=tx, org_id=org_a, kind="decision", title="Sneaky", body="")

    # Then B finds nothing of A's; its own episode is its own; A's journal is unchanged
    assert seen_by_b == []
    assert recorded_by_b is not None
    with as_org(owner_conn, org_a):
        assert owner_conn.execute("select count(*) from memory_episodes").fetchone() == (5,)
    with as_org(owner_conn, org_b):
        assert owner_conn.execute("select count(*) from memory_episodes").fetchone() == (1,)


async def test_the_embedding_column_exists_where_pgvector_is_installed(owner_conn):
    # The test servers are provisioned like `xentri serve`: the administrator installs pgvector
    found = owner_conn.execute(
        "select format_type(atttypid, atttypmod) from pg_attribute"
        " where attrelid = 'memory_episodes'::regclass and attname = 'embedding'"
    ).fetchone()
    assert found == ("vector(384)",)


# Semantic memory: the Brief cache


class CountingBriefSource:
    """A stand-in for the Brief store (issue 8), counting how often it is read."""

    def __init__(self, text: str | None) -> None:
        self.text = text
        self.reads = 0
        self.during_read = None

    async def brief_text(self, *, engine: AsyncEngine, org_id: uuid.UUID) -> str | None:
        self.reads += 1
        text = self.text
        if self.during_read is not None:
            await self.during_read()
        return text


def brief_event(org: uuid.UUID, event_type: str = "xentri.brief.updated.v1") -> SystemEvent:
    return SystemEvent(
        type=event_type,
        org_id=org,
        actor=Actor(type="user", id="owner"),
        payload_schema="brief.updated@1.0",
        payload={},
        meta=EventMeta(source="tests"),
    )


async def test_the_brief_is_read_once_then_served_from_redis_until_it_changes(
    app_engine, redis_client
):
    # Given an org whose Brief is in its store
    org = uuid.uuid4()
    source = CountingBriefSource("# Panadería Lupita\nBakery in Oaxaca.")

    # When agents read it twice, the Brief changes (its event is handled), and they read again
    first = await brief_text(redis=redis_client, engine=app_engine, org_id=org, source=source)
    second = await brief_text(redis=redis_client, engine=app_engine, org_id=org, source=source)
    ttl = await redis_client.ttl(brief_key(org))
    source.text = "# Panadería Lupita\nBakery and café in Oaxaca."
    async with tenant_transaction(app_engine, org) as tx:
        await brief_invalidation(redis_client)(brief_event(org), tx)
    after_update = await brief_text(
        redis=redis_client, engine=app_engine, org_id=org, source=source
    )

    # Then the store was read once per version, and the cache key expires
    assert first == second == "# Panadería Lupita\nBakery in Oaxaca."
    assert after_update == "# Panadería Lupita\nBakery and café in Oaxaca."
    assert source.reads == 2
    assert 0 < ttl <= 3600


async def test_no_brief_yet_is_cached_too_and_a_created_brief_replaces_it(app_engine, redis_client):
    org = uuid.uuid4()
    source = CountingBriefSource(None)

    before = [
        await brief_text(redis=redis_client, engine=app_engine, org_id=org, source=source)
        for _ in range(3)
    ]
    source.text = "# Café Olé"
    async with tenant_transaction(app_engine, org) as tx:
        await brief_invalidation(redis_client)(brief_event(org, "xentri.brief.created.v1"), tx)
    after = await brief_text(redis=redis_client, engine=app_engine, org_id=org, source=source)

    assert before == [None, None, None]
    assert after == "# Café Olé"
    assert source.reads == 2


async def test_the_default_source_says_no_org_has_a_brief_yet(app_engine, redis_client):
    assert await brief_text(redis=redis_client, engine=app_engine, org_id=uuid.uuid4()) is None


async def test_a_brief_loaded_before_an_update_is_not_cached_after_it(app_engine, redis_client):
    # Given a read that loads the old Brief while the update's invalidation runs
    org = uuid.uuid4()
    source = CountingBriefSource("old Brief")

    async def update_lands() -> None:
        source.text = "new Brief"
        async with tenant_transaction(app_engine, org) as tx:
            await brief_invalidation(redis_client)(brief_event(org), tx)

    source.during_read = update_lands

    # When that read finishes, and the next one comes
    racing = await brief_text(redis=redis_client, engine=app_engine, org_id=org, source=source)
    source.during_read = None
    next_read = await brief_text(redis=redis_client, engine=app_engine, org_id=org, source=source)

    # Then the old copy was not put back in the cache: the next read has the new Brief
    assert racing == "old Brief"
    assert next_read == "new Brief"
    assert source.reads == 2


async def test_with_redis_away_the_brief_comes_from_its_store(app_engine):
    unreachable = Redis(unix_socket_path="/nonexistent/redis.sock", retry=Retry(NoBackoff(), 0))
    source = CountingBriefSource("# Café Olé")
    try:
        text = await brief_text(
            redis=unreachable, engine=app_engine, org_id=uuid.uuid4(), source=source
        )
    finally:
        await unreachable.aclose()
    assert text == "# Café Olé"


# Synthetic memory: dreaming


def runner_with(app_engine, redis_client, model=None) -> AgentRunner:
    """The runner on the offline engine (the default), or on `model`."""
    offline = offline_model(lambda _prompt: "unused")
    return AgentRunner(
        settings=AiSettings(),
        engine=app_engine,
        redis=redis_client,
        models=lambda _choice: model or offline,
    )


def finance_journal(org: uuid.UUID) -> list[dict]:
    events = [
        overdue(org, customer, days_before=days)
        for customer, days in (("Café Olé", 9), ("Café Olé", 5), ("Hotel Azul", 3))
    ]
    return [
        *(
            {
                "kind": "event",
                "title": "Invoice overdue",
                "body": f"customer: {e.payload['customer']}\ncurrency: MXN",
                "source_event_id": e.id,
                "event_type": e.type,
                "occurred_at": e.occurred_at,
            }
            for e in events
        ),
        {
            "kind": "decision",
            "title": "Ask Café Olé for payment upfront",
            "body": "Two late invoices in a week.",
            "agent_id": "finance.copilot",
            "occurred_at": SLOT - timedelta(days=2),
        },
    ]


async def test_dreaming_distils_a_persona_version_from_the_episodes(app_engine, redis_client):
    # Given a month of Finance episodes, and none for the other categories
    org = uuid.uuid4()
    await journal(app_engine, org, *finance_journal(org))
    registry = load_agent_registry()
    runner = runner_with(app_engine, redis_client)

    # When the night's dreaming runs, runs again for the same slot, and the next night
    report = await dream(engine=app_engine, org_id=org, slot=SLOT, runner=runner, registry=registry)
    repeat = await dream(engine=app_engine, org_id=org, slot=SLOT, runner=runner, registry=registry)
    next_night = await dream(
        engine=app_engine,
        org_id=org,
        slot=SLOT + timedelta(days=1),
        runner=runner,
        registry=registry,
    )

    # Then the Finance Co-pilot has a persona drawn from what happened, once per night
    assert report.written == {"finance.copilot": 1}
    assert sorted(report.nothing_to_learn) == sorted(
        c.id for c in registry.copilots() if c.id != "finance.copilot"
    )
    assert repeat.written == {}
    assert repeat.already_done == ["finance.copilot"]
    assert next_night.written == {"finance.copilot": 2}
    async with tenant_transaction(app_engine, org) as tx:
        persona = await current_persona(tx=tx, agent_id="finance.copilot")
        latest = await latest_persona(tx=tx, agent_id="finance.copilot")
        none_for_sales = await current_persona(tx=tx, agent_id="sales.copilot")
    assert latest is not None
    assert (latest.version, latest.distilled_from_count) == (2, 4)
    assert persona == (
        "Distilled from 4 journal entries, 2026-11-11 to 2026-11-18.\n"
        "What happens most: Invoice overdue (3 times).\n"
        "What keeps coming up: Café, MXN, Olé.\n"
        "Latest decisions:\n"
        "- 2026-11-18: Ask Café Olé for payment upfront — Two late invoices in a week."
    )
    assert none_for_sales is None


async def test_a_spanish_speaking_org_gets_its_persona_in_spanish(
    app_engine, redis_client, owner_conn
):
    org = uuid.uuid4()
    with as_org(owner_conn, org):
        owner_conn.execute(
            "insert into organizations (id, org_id, name, default_language, time_zone)"
            " values (%s, %s, 'Panadería Lupita', 'es', 'America/Mexico_City')",
            (org, org),
        )
    await journal(app_engine, org, *finance_journal(org))

    await dream(
        engine=app_engine,
        org_id=org,
        slot=SLOT,
        runner=runner_with(app_engine, redis_client),
        registry=load_agent_registry(),
    )

    async with tenant_transaction(app_engine, org) as tx:
        persona = await current_persona(tx=tx, agent_id="finance.copilot")
    assert persona is not None
    assert persona.splitlines()[:2] == [
        "Destilado de 4 entradas del diario, del 2026-11-11 al 2026-11-18.",
        "Lo que más ocurre: Invoice overdue (3 veces).",
    ]
    assert "Últimas decisiones:" in persona


def always_invalid() -> FunctionModel:
    """A model that never fills the persona: every call ends as 'assistant unavailable'."""

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, {})])

    return FunctionModel(respond, model_name="broken")


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def test_a_failing_night_keeps_the_persona_and_ends_in_one_incident(
    servers, app_engine, redis_client, owner_conn
):
    # Given an org with yesterday's persona and new episodes, and a model that keeps failing
    org = uuid.uuid4()
    await journal(app_engine, org, *finance_journal(org))
    async with tenant_transaction(app_engine, org) as tx:
        await store_persona(
            tx=tx,
            org_id=org,
            agent_id="finance.copilot",
            persona="Café Olé pays late.",
            distilled_from_count=3,
            slot=SLOT - timedelta(days=1),
        )
    runner = runner_with(app_engine, redis_client, model=always_invalid())
    job = dreaming_job(runner=runner, registry=load_agent_registry())
    clock = FakeClock(SLOT + timedelta(seconds=30))
    from xentri.kernel.db.engine import create_engine

    system_engine = create_engine(servers.system_url, pool_size=2)

    async def the_org() -> list[OrgSchedule]:
        return [OrgSchedule(org, "America/Mexico_City")]

    scheduler = Scheduler(
        jobs=[job],
        system_engine=system_engine,
        app_engine=app_engine,
        org_provider=the_org,
        clock=clock,
        retry_jitter=0,
    )

    # When the 02:00 run and its three retries (5, 10, 20 minutes apart) all fail
    try:
        reports = []
        for wait in (0, 5, 10, 20, 40):
            clock.now += timedelta(minutes=wait)
            reports.append(await scheduler.tick())
    finally:
        await system_engine.dispose()

    # Then four attempts were made, the last one failed the run with one P3 incident,
    # and yesterday's persona is still the one in use
    assert [r.started for r in reports] == [1, 1, 1, 1, 0]
    assert [r.failed for r in reports] == [0, 0, 0, 1, 0]
    with as_org(owner_conn, org):
        incidents = owner_conn.execute(
            "select payload from system_events where type = 'xentri.ops.incident.v1'"
        ).fetchall()
    assert len(incidents) == 1
    (payload,) = incidents[0]
    assert (payload["severity"], payload["kind"]) == ("P3", "job_failed")
    assert payload["details"]["job"] == "ai.memory.dreaming"
    assert payload["details"]["attempts"] == 4
    assert "finance.copilot" in payload["details"]["error"]
    async with tenant_transaction(app_engine, org) as tx:
        assert await current_persona(tx=tx, agent_id="finance.copilot") == "Café Olé pays late."


async def test_an_agent_recalls_the_brief_and_its_own_persona(app_engine, redis_client):
    # Given an org with a Brief and a persona for its Finance Co-pilot only
    org = uuid.uuid4()
    source = CountingBriefSource("# Café Olé\nCoffee shop in Puebla.")
    async with tenant_transaction(app_engine, org) as tx:
        await store_persona(
            tx=tx,
            org_id=org,
            agent_id="finance.copilot",
            persona="Café Olé pays late.",
            distilled_from_count=3,
            slot=SLOT,
        )

    # When two of its agents recall what they know
    finance = await recall(
        engine=app_engine,
        redis=redis_client,
        org_id=org,
        agent_id="finance.copilot",
        brief_source=source,
    )
    sales = await recall(
        engine=app_engine,
        redis=redis_client,
        org_id=org,
        agent_id="sales.copilot",
        brief_source=source,
    )

    # Then both have the Brief (read once), and only Finance has a persona
    assert finance == Recall(
        brief="# Café Olé\nCoffee shop in Puebla.", persona="Café Olé pays late."
    )
    assert sales == Recall(brief="# Café Olé\nCoffee shop in Puebla.", persona=None)
    assert source.reads == 1
