"""Offline fact extraction: precision and recall per field, next to a regex-only baseline.

Run from the project root:

    .venv/bin/python bench/offline_extraction.py [--data bench/data/offline_extraction.yaml]
                                                 [--holdout] [--errors]

Each item of the data file is an interview answer written for this benchmark with the facts a
careful reader takes from it. The development set (75 answers, about half Spanish) was iterated
on; the held-out set (12 answers) was scored once, at the end (figures in docs/adr/0011). Both
the engine (`xentri.ai.offline.extract_facts`) and a naive regex-only extractor, defined here
and measured in the same run, read every answer; the table shows, per field, precision (share
of extracted facts that were expected) and recall (share of expected facts that were
extracted), pooled over all items. `--holdout` runs the held-out set instead. `--errors` lists
each item's misses and extras.

Fields compared exactly (after lower-casing and dropping accents): names (business and
people), locations (city, else region), prices and goal amounts (minor units + ISO currency),
currencies, dates (goal deadlines), numbers (goal targets, team size, year founded, tagged
with what they count), tone words. Offerings and audience segments are phrases and match when
their content words overlap by a Dice coefficient of at least 0.5.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from babel import Locale

from xentri.ai.offline import (
    AudienceFact,
    BusinessNameFact,
    Extraction,
    GoalFact,
    LocationFact,
    OfferingFact,
    PersonFact,
    TeamSizeFact,
    ToneFact,
    YearFoundedFact,
    extract_facts,
    to_minor_units,
)

HERE = Path(__file__).parent
EXACT_FIELDS = ("names", "locations", "prices", "currencies", "goal_amounts", "dates", "numbers")
FUZZY_FIELDS = ("offerings", "audience")
FIELDS = (*EXACT_FIELDS, "tone", *FUZZY_FIELDS)
_STOPWORDS = frozenset(
    re.findall(
        r"\w+", "a an the of for and or to in with de del la las el los y o para con en un una por"
    )
)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().strip())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def money_key(amount: Decimal, currency: str) -> str:
    return f"{to_minor_units(amount, currency)} {currency}"


def name_key(name: str) -> str:
    return re.sub(r"^(?:la|el|los|las|the)\s+", "", fold(name))


@dataclass
class Facts:
    """One item's facts as comparable strings, per field."""

    values: dict[str, list[str]] = field(default_factory=dict)

    def add(self, field_name: str, value: str) -> None:
        self.values.setdefault(field_name, []).append(value)

    def get(self, field_name: str) -> list[str]:
        return self.values.get(field_name, [])


def expected_facts(expect: dict[str, list[object]]) -> Facts:
    facts = Facts()
    for name in expect.get("names", []):
        facts.add("names", name_key(str(name)))
    for place in expect.get("locations", []):
        facts.add("locations", fold(str(place)))
    for key in ("offerings", "audience"):
        for phrase in expect.get(key, []):
            facts.add(key, str(phrase))
    for word in expect.get("tone", []):
        facts.add("tone", fold(str(word)))
    currencies: set[str] = set()
    for key in ("prices", "goal_amounts"):
        for money in expect.get(key, []):
            amount, currency = str(money).split()
            facts.add(key, money_key(Decimal(amount), currency))
            currencies.add(currency)
    for currency in sorted(currencies):
        facts.add("currencies", currency)
    for date in expect.get("dates", []):
        facts.add("dates", str(date))
    for number in expect.get("numbers", []):
        facts.add("numbers", str(number))
    return facts


def country_name(code: str | None) -> str:
    """A country named alone is compared by its name, the way the expected facts write it."""
    return Locale("es").territories.get(code or "", "") if code else ""


def engine_facts(extraction: Extraction) -> Facts:
    facts = Facts()
    currencies: set[str] = set()
    for fact in extraction.facts:
        if isinstance(fact, BusinessNameFact | PersonFact):
            facts.add("names", name_key(fact.name))
        elif isinstance(fact, LocationFact):
            facts.add("locations", fold(fact.city or fact.region or country_name(fact.country)))
        elif isinstance(fact, OfferingFact):
            if fact.name:
                facts.add("offerings", fact.name)
            if fact.price is not None:
                money = fact.price.money
                facts.add("prices", f"{money.minor_units} {money.currency}")
                currencies.add(money.currency)
        elif isinstance(fact, AudienceFact):
            facts.add("audience", fact.segment)
        elif isinstance(fact, ToneFact):
            facts.add("tone", fold(fact.word))
        elif isinstance(fact, GoalFact):
            if fact.target is not None:
                facts.add("numbers", f"goal={fact.target}")
            if fact.target_money is not None:
                money = fact.target_money
                facts.add("goal_amounts", f"{money.minor_units} {money.currency}")
                currencies.add(money.currency)
            if fact.deadline is not None:
                facts.add("dates", fact.deadline.isoformat())
        elif isinstance(fact, TeamSizeFact):
            facts.add("numbers", f"team_size={fact.people}")
        elif isinstance(fact, YearFoundedFact):
            facts.add("numbers", f"year_founded={fact.year}")
    for currency in sorted(currencies):
        facts.add("currencies", currency)
    return facts


# --- the baseline: what a handful of regular expressions get -------------------------------

_B_NAME = re.compile(
    r"(?:called|named|se llama|me llamo|I'm|I am|soy|my name is)\s+"
    r"([A-ZÁÉÍÓÚÑ][\w'&]*(?:\s+[A-ZÁÉÍÓÚÑ&][\w'&]*)*)"
)
_B_PLACE = re.compile(r"\b(?:in|en)\s+([A-ZÁÉÍÓÚÑ]\w+(?:\s+[A-ZÁÉÍÓÚÑ]\w+)*)")
_B_MONEY = re.compile(
    r"(?P<sym>[$€£]|S/|Q)\s?(?P<a>\d[\d,]*(?:\.\d+)?)|"
    r"(?P<b>\d[\d,]*(?:\.\d+)?)\s?(?P<word>pesos|dollars|dólares|euros|€|USD|MXN|EUR|COP)"
)
_B_CURRENCY = {
    "$": "USD", "€": "EUR", "£": "GBP", "S/": "PEN", "Q": "GTQ", "pesos": "MXN",
    "dollars": "USD", "dólares": "USD", "euros": "EUR", "USD": "USD", "MXN": "MXN",
    "EUR": "EUR", "COP": "COP",
}  # fmt: skip
_B_MONTHS = {
    m: i + 1
    for names in (
        "january february march april may june july august september october november december",
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    )
    for i, m in enumerate(names.split())
}
_B_DATE = re.compile(rf"\b({'|'.join(_B_MONTHS)})(?:\s+(?:de\s+)?(\d{{4}}))?", re.IGNORECASE)
_B_TONE = frozenset(
    re.findall(
        r"\w+",
        "friendly professional warm fun playful calm bold modern elegant cercano divertido "
        "profesional cálido elegante serio amable relajado",
    )
)
_B_AUDIENCE = re.compile(
    r"(?:customers are|clients are|we serve|clientes son|atendemos a)\s+([^.]+)", re.IGNORECASE
)
_B_OFFERING = re.compile(r"(?:we sell|we offer|vendemos|ofrecemos)\s+([^.]+)", re.IGNORECASE)
_B_LIST = re.compile(r",\s*|\s+(?:and|y)\s+")


def baseline_facts(text: str, today: dt.date) -> Facts:
    facts = Facts()
    for match in _B_NAME.finditer(text):
        facts.add("names", name_key(match.group(1)))
    for match in _B_PLACE.finditer(text):
        facts.add("locations", fold(match.group(1)))
    currencies: set[str] = set()
    money_spans: list[tuple[int, int]] = []
    for match in _B_MONEY.finditer(text):
        amount = Decimal((match.group("a") or match.group("b")).replace(",", ""))
        currency = _B_CURRENCY[match.group("sym") or match.group("word")]
        facts.add("prices", money_key(amount, currency))
        currencies.add(currency)
        money_spans.append(match.span())
    for currency in sorted(currencies):
        facts.add("currencies", currency)
    for match in _B_DATE.finditer(text):
        month = _B_MONTHS[match.group(1).lower()]
        year = int(match.group(2)) if match.group(2) else today.year
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        facts.add("dates", (following - dt.timedelta(days=1)).isoformat())
    for match in re.finditer(r"\b\d+\b", text):
        if any(start <= match.start() < end for start, end in money_spans):
            continue
        value = int(match.group())
        before, after = text[: match.start()], text[match.end() :]
        if 1900 < value < 2100:
            if re.search(r"(?:since|in|desde|en)\s+$", before):
                facts.add("numbers", f"year_founded={value}")
        elif re.match(r"\s+(?:employees|people|personas|empleados)", after):
            facts.add("numbers", f"team_size={value}")
        else:
            facts.add("numbers", f"goal={value}")
    for word in re.findall(r"\w+", text.lower()):
        if word in _B_TONE:
            facts.add("tone", fold(word))
    for pattern, key in ((_B_AUDIENCE, "audience"), (_B_OFFERING, "offerings")):
        for match in pattern.finditer(text):
            for piece in _B_LIST.split(match.group(1)):
                if piece.strip():
                    facts.add(key, piece.strip())
    return facts


# --- scoring -------------------------------------------------------------------------------


def content_words(phrase: str) -> set[str]:
    words = re.findall(r"\w+", fold(phrase))
    return {w.rstrip("s") or w for w in words if w not in _STOPWORDS}


def phrases_match(predicted: str, expected: str) -> bool:
    a, b = content_words(predicted), content_words(expected)
    return bool(a and b) and 2 * len(a & b) / (len(a) + len(b)) >= 0.5


def matched_count(field_name: str, predicted: list[str], expected: list[str]) -> int:
    if field_name not in FUZZY_FIELDS:
        return sum((Counter(predicted) & Counter(expected)).values())
    remaining = list(expected)
    hits = 0
    for phrase in predicted:
        for candidate in remaining:
            if phrases_match(phrase, candidate):
                remaining.remove(candidate)
                hits += 1
                break
    return hits


@dataclass
class Tally:
    predicted: int = 0
    expected: int = 0
    matched: int = 0

    def add(self, predicted: int, expected: int, matched: int) -> None:
        self.predicted += predicted
        self.expected += expected
        self.matched += matched

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def score(
    items: Iterable[dict[str, object]],
    extractor: Callable[[dict[str, object]], Facts],
    *,
    errors: bool = False,
) -> dict[str, Tally]:
    tallies = {name: Tally() for name in (*FIELDS, "overall", "overall en", "overall es")}
    for item in items:
        expected = expected_facts(item["expect"])  # type: ignore[arg-type]
        predicted = extractor(item)
        for name in FIELDS:
            hits = matched_count(name, predicted.get(name), expected.get(name))
            counts = (len(predicted.get(name)), len(expected.get(name)), hits)
            tallies[name].add(*counts)
            tallies["overall"].add(*counts)
            tallies[f"overall {str(item['id'])[:2]}"].add(*counts)
            if errors and hits < max(counts[0], counts[1]):
                print(f"{item['id']:<28} {name:<13} got {predicted.get(name)}")
                print(f"{'':<28} {'':<13} want {expected.get(name)}")
    return tallies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE / "data" / "offline_extraction.yaml")
    parser.add_argument("--holdout", action="store_true", help="score the held-out set")
    parser.add_argument("--errors", action="store_true", help="list misses and extras per item")
    args = parser.parse_args()
    path = HERE / "data" / "offline_extraction_holdout.yaml" if args.holdout else args.data
    dataset = yaml.safe_load(path.read_text(encoding="utf-8"))
    today: dt.date = dataset["today"]
    items: list[dict[str, object]] = dataset["items"]

    def engine(item: dict[str, object]) -> Facts:
        currency = item.get("default_currency")
        extraction = extract_facts(
            str(item["text"]), today=today, default_currency=str(currency) if currency else None
        )
        return engine_facts(extraction)

    def baseline(item: dict[str, object]) -> Facts:
        return baseline_facts(str(item["text"]), today)

    languages = Counter(str(item["id"])[:2] for item in items)
    print(f"{path}: {len(items)} answers "
          f"({languages['en']} English, {languages['es']} Spanish), today = {today}")  # fmt: skip
    engine_scores = score(items, engine, errors=args.errors)
    baseline_scores = score(items, baseline)
    print()
    print(f"{'field':<13} {'expected':>8} | {'engine P':>8} {'R':>6} | {'baseline P':>10} {'R':>6}")
    print("-" * 62)
    for name in (*FIELDS, "overall", "overall en", "overall es"):
        ours, theirs = engine_scores[name], baseline_scores[name]
        if name == "overall":
            print("-" * 62)
        print(
            f"{name:<13} {ours.expected:>8} | {ours.precision:>8.2f} {ours.recall:>6.2f} | "
            f"{theirs.precision:>10.2f} {theirs.recall:>6.2f}"
        )
    target_fields = ("names", "prices", "currencies", "dates", "numbers")
    short = [
        n for n in target_fields if min(engine_scores[n].precision, engine_scores[n].recall) < 0.9
    ]
    print()
    print("target >= 0.90 P and R for names, prices, currencies, dates, numbers: "
          + ("met" if not short else "not met for " + ", ".join(short)))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
