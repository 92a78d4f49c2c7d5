"""Strategy interview benchmark: scripted owners go through the offline interview; how many turns
it takes and what share of the facts they state ends up in the Brief draft.

Run from the project root:

    .venv/bin/python bench/brief_interview.py [--verbose]

The owners and their facts are in bench/data/brief_personas.yaml (written for this bench: 12
businesses, English and Spanish, terse and rambling). Each owner answers the question asked
(a rambling one tells much of the story in the first answer); the interview runs until it has
enough to draft (or 25 turns). The draft the owner would approve is scored against the facts
the owner stated. Baseline, same run: every answer pasted as one message with no interview
(the same extractor, no questions and no follow-ups). Targets from the issue: at least 90% of
stated facts captured, at most 15 turns.
"""

# ruff: noqa: E402 - the sys.path fix below has to run before anything imports `http`.

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]

import argparse
import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table

from xentri.ai.offline import KnownFacts, Language, apply_answer
from xentri.categories.strategy.interview import answer, brief_from, opening
from xentri.contracts.brief import Brief

TODAY = dt.date(2026, 11, 25)
MAX_TURNS = 25
TARGET_CAPTURED = 0.90
TARGET_TURNS = 15
DONT_KNOW = {"en": "I don't know.", "es": "No lo sé."}

console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)


@dataclass(frozen=True)
class Persona:
    id: str
    language: Language
    style: str
    currency: str
    opening: str | None
    answers: dict[str, str]
    facts: dict[str, Any]

    def answer_to(self, question_id: str) -> str:
        key = question_id
        while key:
            if key in self.answers:
                return self.answers[key]
            if "." not in key:
                break
            key = key.rsplit(".", 1)[0]
        return DONT_KNOW[self.language]


@dataclass(frozen=True)
class Score:
    turns: int
    stated: int
    captured: int
    missed: list[str]

    @property
    def share(self) -> float:
        return self.captured / self.stated if self.stated else 1.0


def interview(persona: Persona) -> tuple[Brief, int]:
    language = persona.language
    turn = opening(KnownFacts(language=language), language=language)
    turns = 0
    while turn.question is not None and turns < MAX_TURNS:
        text = (
            persona.opening
            if turns == 0 and persona.opening
            else persona.answer_to(turn.question.id)
        )
        turn = answer(
            turn.known,
            turn.question,
            text,
            language=language,
            today=TODAY,
            default_currency=persona.currency,
        )
        turns += 1
    return brief_from(turn.known), turns


def one_message(persona: Persona) -> Brief:
    """The baseline: everything the owner would say, pasted at once, no questions."""
    text = " ".join([persona.opening or "", *persona.answers.values()])
    known = apply_answer(
        KnownFacts(language=persona.language),
        None,
        text,
        today=TODAY,
        default_currency=persona.currency,
    )
    return brief_from(known)


def score(brief: Brief, facts: dict[str, Any], turns: int) -> Score:
    checks: list[tuple[str, bool]] = []
    identity = brief.identity
    if "name" in facts:
        checks.append((f"name {facts['name']}", _fold(identity.name) == _fold(facts["name"])))
    if "city" in facts:
        cities = [_fold(loc.city) for loc in identity.locations]
        checks.append((f"city {facts['city']}", _fold(facts["city"]) in cities))
    if "year_founded" in facts:
        checks.append(("year founded", identity.year_founded == facts["year_founded"]))
    for name, price, currency in facts.get("offerings", []):
        found = any(
            _fold(name) in _fold(offering.name)
            and offering.price_minor == price
            and offering.currency == currency
            for offering in brief.offerings
        )
        checks.append((f"offering {name} {price} {currency}", found))
    segments = " | ".join(_fold(segment.name) for segment in brief.audience.segments)
    checks += [(f"audience {word}", _fold(word) in segments) for word in facts.get("audience", [])]
    deadlines = {goal.deadline.isoformat() for goal in brief.goals if goal.deadline}
    checks += [(f"deadline {day}", day in deadlines) for day in facts.get("goal_deadlines", [])]
    tones = {_fold(word) for word in brief.brand_voice.tone_words}
    checks += [(f"tone {word}", _fold(word) in tones) for word in facts.get("tone", [])]
    for key, values in (
        ("differentiators", brief.differentiators),
        ("competitors", brief.competitors),
    ):
        joined = _fold(" | ".join(values))
        checks += [(f"{key} {text}", _fold(text) in joined) for text in facts.get(key, [])]
    if "team_size" in facts:
        checks.append(("team size", brief.constraints.team_size == facts["team_size"]))
    missed = [label for label, ok in checks if not ok]
    return Score(turns, len(checks), len(checks) - len(missed), missed)


def _fold(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def load(path: Path) -> list[Persona]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Persona(
            id=item["id"],
            language="es" if item["language"] == "es" else "en",
            style=item["style"],
            currency=item["currency"],
            opening=item.get("opening"),
            answers=item.get("answers", {}),
            facts=item["facts"],
        )
        for item in raw["personas"]
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=_HERE / "data" / "brief_personas.yaml")
    parser.add_argument("--verbose", action="store_true", help="list the facts each one missed")
    args = parser.parse_args(argv)
    personas = load(args.data)
    table = Table(title=f"Strategy interview, offline engine: {len(personas)} owners")
    for column in ("owner", "lang", "style", "turns", "captured", "baseline (one message)"):
        table.add_column(column, justify="left" if column in ("owner", "style") else "right")
    results: list[tuple[Persona, Score, Score]] = []
    for persona in personas:
        brief, turns = interview(persona)
        mine = score(brief, persona.facts, turns)
        base = score(one_message(persona), persona.facts, 1)
        results.append((persona, mine, base))
        table.add_row(
            persona.id,
            persona.language,
            persona.style,
            str(turns),
            f"{mine.captured}/{mine.stated} = {mine.share:.0%}",
            f"{base.captured}/{base.stated} = {base.share:.0%}",
        )
    console.print(table)
    stated = sum(s.stated for _, s, _ in results)
    captured = sum(s.captured for _, s, _ in results)
    base_captured = sum(b.captured for _, _, b in results)
    worst_turns = max(s.turns for _, s, _ in results)
    mean_turns = sum(s.turns for _, s, _ in results) / len(results)
    share = captured / stated
    console.print(
        f"facts captured: {captured}/{stated} = {share:.1%} "
        f"(baseline, one message: {base_captured}/{stated} = {base_captured / stated:.1%})"
    )
    console.print(f"turns: mean {mean_turns:.1f}, most {worst_turns}")
    console.print(
        f"targets: >= {TARGET_CAPTURED:.0%} captured -> "
        f"{'met' if share >= TARGET_CAPTURED else 'MISSED'}; <= {TARGET_TURNS} turns -> "
        f"{'met' if worst_turns <= TARGET_TURNS else 'MISSED'}"
    )
    if args.verbose:
        for persona, mine, _ in results:
            if mine.missed:
                console.print(f"  {persona.id} missed: {', '.join(mine.missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
