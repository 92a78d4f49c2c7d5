"""`xentri agents …`: the agent registry from the command line.

`agents_app` is the one typer group for agents; commands that run agents (workers per
category) are added to it here, next to `list` and `prompt`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from xentri.ai.registry import (
    AgentRegistry,
    AgentSpec,
    RegistryError,
    UnknownAgentError,
    compose_prompt,
    load_agent_registry,
)
from xentri.kernel.errors import StartupError

agents_app = typer.Typer(
    help="The AI agents: list them, print the prompt an agent is given.",
    no_args_is_help=True,
)
out = Console(soft_wrap=True)
# The composed prompt is printed as plain text: it is Markdown the model reads, and rich
# markup in it ([brackets], **bold**) must reach the terminal or a pipe exactly as written.
plain = Console(soft_wrap=True, markup=False, highlight=False, emoji=False)
LanguageCode = Literal["en", "es"]
LANGUAGES: tuple[LanguageCode, ...] = ("en", "es")


@agents_app.command("list")
def list_agents(
    category: str | None = typer.Option(None, help="Only this category's agents."),
    language: str = typer.Option("en", help="Language of the names: en or es."),
) -> None:
    """Print every agent: id, name, scope, tools, subscribed events and model override."""

    def step() -> None:
        registry = _registry()
        lang = _language(language)
        agents = registry.for_category(category) if category else _in_order(registry)
        table = Table()
        for header in ("agent", "name", "scope", "tools", "subscribes", "model"):
            # Ids, scopes and event types are copied into other commands: never cut them.
            table.add_column(header, no_wrap=header != "name")
        for agent in agents:
            model = "-"
            if agent.model is not None:
                model = ":".join(filter(None, (agent.model.provider, agent.model.model)))
            table.add_row(
                agent.id if agent.is_copilot else f"  {agent.id}",
                agent.name(lang),
                agent.scope,
                str(len(agent.tools)),
                "\n".join(agent.subscribes) or "-",
                model,
            )
        # A pipe or a test gets rich's 80 columns by default, too narrow for full ids.
        console = out if out.is_terminal else Console(soft_wrap=True, width=200)
        console.print(table)
        console.print(f"{len(agents)} agents, {len(registry.tools)} tools declared")

    _run(step)


@agents_app.command("prompt")
def prompt(
    agent_id: str = typer.Argument(..., help="An agent id, e.g. finance.billing_agent."),
    org: Annotated[
        uuid.UUID | None, typer.Option(help="Compose with this org's Brief and persona.")
    ] = None,
    language: str | None = typer.Option(None, help="The user's language: en or es."),
) -> None:
    """Print the system prompt an agent is given: Global Soul, Category Context, Agent Role,
    its tools, the Universal Brief and (when there is one) its persona."""

    def step() -> None:
        registry = _registry()
        lang = None if language is None else _language(language)
        brief, persona = (None, None) if org is None else _org_memory(org, agent_id)
        composed = compose_prompt(
            agent_id, brief=brief, persona=persona, language=lang, registry=registry
        )
        plain.print(composed.text, end="")

    _run(step)


def _org_memory(org: uuid.UUID, agent_id: str) -> tuple[str | None, str | None]:
    """The org's approved Brief and this agent's persona, as text (None where there is none).

    Read from the database `xentri serve` uses (attaching to its embedded servers if running).
    """
    import asyncio

    from xentri.cli import _settings
    from xentri.kernel.dataplane import start_data_plane
    from xentri.kernel.home import with_secret_key
    from xentri.runtime import connections

    async def read(plane: object) -> tuple[str | None, str | None]:
        from xentri.ai.memory import current_persona
        from xentri.categories.strategy.brief_source import ApprovedBriefSource
        from xentri.kernel.db.tenant import tenant_transaction

        async with connections(plane, name="xentri-cli") as conns:  # type: ignore[arg-type]
            brief = await ApprovedBriefSource().brief_text(engine=conns.app_engine, org_id=org)
            async with tenant_transaction(conns.app_engine, org) as tx:
                persona = await current_persona(tx=tx, agent_id=agent_id)
        return brief, persona

    plane = start_data_plane(with_secret_key(_settings()), attach=True)
    try:
        return asyncio.run(read(plane))
    finally:
        plane.stop()


def _registry() -> AgentRegistry:
    try:
        return load_agent_registry()
    except RegistryError as exc:
        raise StartupError(f"agent registry: {exc}") from None


def _in_order(registry: AgentRegistry) -> tuple[AgentSpec, ...]:
    return tuple(
        agent
        for copilot in registry.copilots()
        for agent in registry.for_category(copilot.category)
    )


def _language(value: str) -> LanguageCode:
    for code in LANGUAGES:
        if value == code:
            return code
    raise StartupError(f"unknown language {value!r}; use en or es")


def _run(step: Callable[[], None]) -> None:
    from xentri.cli import _run as run_step

    def guarded() -> None:
        try:
            step()
        except UnknownAgentError as exc:
            raise StartupError(str(exc)) from None

    run_step(guarded)
