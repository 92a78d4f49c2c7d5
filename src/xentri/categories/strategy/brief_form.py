"""The Brief editor's forms: one per section, its values flat strings for the page and back.

Lists of records (offerings, audience segments, goals) are numbered rows (`offerings-0-name`)
with one blank row to add another; a row left blank, or ticked "remove", drops out. Lists of
words or phrases are one per line. Errors come back keyed by the form field, as message ids
with their parameters, for the view to say in the visitor's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ValidationError

from xentri.ai.offline import minor_units
from xentri.contracts.brief import (
    Audience,
    BrandVoice,
    Brief,
    BriefSection,
    Constraints,
    Goal,
    Identity,
    Location,
    Offering,
    Segment,
)
from xentri.shell.i18n import N_

Values = dict[str, str]

ROW_FIELDS: dict[BriefSection, tuple[str, ...]] = {
    BriefSection.OFFERINGS: ("name", "description", "price", "currency", "unit", "for_whom"),
    BriefSection.AUDIENCE: ("name", "pains", "where", "budget"),
    BriefSection.GOALS: ("statement", "metric", "target", "deadline"),
}
ROW_PREFIX = {
    BriefSection.OFFERINGS: "offerings",
    BriefSection.AUDIENCE: "segments",
    BriefSection.GOALS: "goals",
}
PLAIN_FIELDS: dict[BriefSection, tuple[str, ...]] = {
    BriefSection.IDENTITY: (
        "name", "legal_name", "tagline", "mission", "story", "locations", "languages",
        "year_founded",
    ),
    BriefSection.OFFERINGS: (),
    BriefSection.AUDIENCE: ("ideal_customer",),
    BriefSection.GOALS: (),
    BriefSection.BRAND_VOICE: ("tone_words", "do", "dont", "sample_phrases"),
    BriefSection.DIFFERENTIATORS: ("differentiators",),
    BriefSection.COMPETITORS: ("competitors",),
    BriefSection.CONSTRAINTS: ("budget", "time", "team_size"),
}  # fmt: skip
MAX_ROWS = 100


@dataclass
class SectionForm:
    section: BriefSection
    values: Values
    rows: int = 0  # numbered rows shown (the last one blank, to add another)
    errors: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def field_names(section: BriefSection, values: Mapping[str, str]) -> tuple[str, ...]:
    """The fields a posted form may carry: the plain ones, then every row the page sent."""
    names = list(PLAIN_FIELDS[section])
    if section in ROW_FIELDS:
        prefix = ROW_PREFIX[section]
        count = min(_row_count(values, prefix), MAX_ROWS + 1)
        for index in range(count):
            names += [f"{prefix}-{index}-{name}" for name in (*ROW_FIELDS[section], "remove")]
    return tuple(names)


def _row_count(values: Mapping[str, str], prefix: str) -> int:
    indexes = [
        int(parts[1])
        for key in values
        if (parts := key.split("-")) and len(parts) == 3 and parts[0] == prefix
        if parts[1].isdigit()
    ]
    return max(indexes) + 1 if indexes else 0


def form_of(brief: Brief, section: BriefSection) -> SectionForm:
    """The section's values as the page shows them, with one blank row to add another."""
    values: Values = {}
    rows = 0
    if section is BriefSection.IDENTITY:
        who = brief.identity
        values.update(
            name=who.name or "",
            legal_name=who.legal_name or "",
            tagline=who.tagline or "",
            mission=who.mission or "",
            story=who.story or "",
            locations="\n".join(
                ", ".join(p or "" for p in (loc.city, loc.region, loc.country)).strip(", ")
                for loc in who.locations
            ),
            languages=", ".join(who.languages),
            year_founded=str(who.year_founded or ""),
        )
    elif section is BriefSection.OFFERINGS:
        for rows, offering in enumerate(brief.offerings):
            _row(values, "offerings", rows, _offering_values(offering))
        rows = len(brief.offerings)
    elif section is BriefSection.AUDIENCE:
        values["ideal_customer"] = brief.audience.ideal_customer or ""
        for index, segment in enumerate(brief.audience.segments):
            _row(
                values,
                "segments",
                index,
                {
                    "name": segment.name,
                    "pains": "\n".join(segment.pains),
                    "where": segment.where or "",
                    "budget": segment.budget or "",
                },
            )
        rows = len(brief.audience.segments)
    elif section is BriefSection.GOALS:
        for index, goal in enumerate(brief.goals):
            _row(
                values,
                "goals",
                index,
                {
                    "statement": goal.statement,
                    "metric": goal.metric or "",
                    "target": goal.target or "",
                    "deadline": goal.deadline.isoformat() if goal.deadline else "",
                },
            )
        rows = len(brief.goals)
    elif section is BriefSection.BRAND_VOICE:
        voice = brief.brand_voice
        values.update(
            tone_words=", ".join(voice.tone_words),
            do="\n".join(voice.do),
            dont="\n".join(voice.dont),
            sample_phrases="\n".join(voice.sample_phrases),
        )
    elif section is BriefSection.DIFFERENTIATORS:
        values["differentiators"] = "\n".join(brief.differentiators)
    elif section is BriefSection.COMPETITORS:
        values["competitors"] = "\n".join(brief.competitors)
    else:
        limits = brief.constraints
        values.update(
            budget=limits.budget or "",
            time=limits.time or "",
            team_size=str(limits.team_size or ""),
        )
    if section in ROW_FIELDS:
        _row(values, ROW_PREFIX[section], rows, dict.fromkeys(ROW_FIELDS[section], ""))
        rows += 1
    return SectionForm(section, values, rows)


def _offering_values(offering: Offering) -> Values:
    price = ""
    if offering.price_minor is not None:
        digits = minor_units(offering.currency) if offering.currency else 2
        price = str(Decimal(offering.price_minor).scaleb(-digits))
    return {
        "name": offering.name,
        "description": offering.description or "",
        "price": price,
        "currency": offering.currency or "",
        "unit": offering.unit or "",
        "for_whom": offering.for_whom or "",
    }


def _row(values: Values, prefix: str, index: int, row: Values) -> None:
    values.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})


def apply(brief: Brief, section: BriefSection, values: Values) -> tuple[Brief | None, SectionForm]:
    """The Brief with the section replaced by the posted values, or None and the errors."""
    rows = _row_count(values, ROW_PREFIX[section]) if section in ROW_FIELDS else 0
    form = SectionForm(section, values, rows)
    parsed = _PARSERS[section](values, form)
    if not form.ok or parsed is None:
        return None, form
    return brief.model_copy(update={section.value: parsed}), form


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _words(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace("\n", ",").split(",") if part.strip())


def _or_none(text: str) -> str | None:
    return text or None


def _build(
    form: SectionForm, model: type[BaseModel], data: dict[str, Any], names: Mapping[str, str]
) -> Any:
    """`model(**data)`, its errors put on the form fields `names` maps them to."""
    try:
        return model(**data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = error.get("loc") or ("",)
            target = names.get(str(loc[0]), next(iter(names.values())))
            if target not in form.errors:
                form.errors[target] = _message(error)
        return None


def _message(error: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind == "string_too_long":
        return N_("Use at most %(max)s characters."), {"max": context.get("max_length", "")}
    if kind == "too_long":
        return N_("Too many entries: at most %(max)s."), {"max": context.get("max_length", "")}
    if kind == "string_pattern_mismatch":
        return N_("Use a three-letter currency code, like USD or MXN."), {}
    if kind in {"missing", "string_too_short"}:
        return N_("This field is required."), {}
    if kind.startswith(("greater_than", "less_than")):
        return N_("Enter a number between %(low)s and %(high)s."), _bounds(error)
    return N_("Check this field."), {}


def _bounds(error: Mapping[str, Any]) -> dict[str, Any]:
    name = str((error.get("loc") or ("",))[0])
    return {"low": 1800, "high": 2100} if name == "year_founded" else {"low": 1, "high": 100000}


def _whole(form: SectionForm, name: str, text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        form.errors[name] = (N_("Enter a whole number, like 12."), {})
        return None
    return int(text)


def _identity(values: Values, form: SectionForm) -> Identity | None:
    locations = []
    for line in _lines(values.get("locations", "")):
        parts = [part.strip() or None for part in line.split(",")]
        if len(parts) > 3:
            form.errors["locations"] = (N_("One place per line: city, region, country."), {})
            return None
        city, region, country = [*parts, None, None, None][:3]
        located = _build(
            form, Location, {"city": city, "region": region, "country": country}, {"": "locations"}
        )
        if located is not None:
            locations.append(located)
    year = _whole(form, "year_founded", values.get("year_founded", ""))
    data = {
        "name": _or_none(values.get("name", "")),
        "legal_name": _or_none(values.get("legal_name", "")),
        "tagline": _or_none(values.get("tagline", "")),
        "mission": _or_none(values.get("mission", "")),
        "story": _or_none(values.get("story", "")),
        "locations": tuple(locations),
        "languages": _words(values.get("languages", "")),
        "year_founded": year,
    }
    names = {key: key for key in data}
    return _build(form, Identity, data, names) if form.ok else None


def _rows(values: Values, prefix: str, fields: tuple[str, ...]) -> list[tuple[int, Values]]:
    found = []
    for index in range(min(_row_count(values, prefix), MAX_ROWS + 1)):
        row = {name: values.get(f"{prefix}-{index}-{name}", "") for name in fields}
        if values.get(f"{prefix}-{index}-remove") or not any(row.values()):
            continue
        found.append((index, row))
    return found


def _row_names(prefix: str, index: int, fields: tuple[str, ...]) -> dict[str, str]:
    return {name: f"{prefix}-{index}-{name}" for name in fields}


def _offerings(values: Values, form: SectionForm) -> tuple[Offering, ...] | None:
    fields = ROW_FIELDS[BriefSection.OFFERINGS]
    offerings = []
    for index, row in _rows(values, "offerings", fields):
        names = _row_names("offerings", index, fields) | {"price_minor": f"offerings-{index}-price"}
        currency = row["currency"].upper() or None
        price_minor = None
        if row["price"]:
            price_minor = _price(form, names["price"], row["price"], currency)
            if currency is None and names["price"] not in form.errors:
                form.errors[names["currency"]] = (N_("Say which currency the price is in."), {})
        data = {
            "name": row["name"],
            "description": _or_none(row["description"]),
            "price_minor": price_minor,
            "currency": currency,
            "unit": _or_none(row["unit"]),
            "for_whom": _or_none(row["for_whom"]),
        }
        offerings.append(_build(form, Offering, data, names))
    return _listed(form, offerings, most=100, first="offerings-0-name")  # type: ignore[no-any-return]


def _price(form: SectionForm, name: str, text: str, currency: str | None) -> int | None:
    try:
        amount = Decimal(text.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0:
        form.errors[name] = (N_("Enter a price like 25 or 25.50."), {})
        return None
    digits = minor_units(currency) if currency and len(currency) == 3 else 2
    minor = amount.scaleb(digits)
    if minor != minor.to_integral_value():
        form.errors[name] = (N_("Use at most %(digits)s decimals."), {"digits": digits})
        return None
    return int(minor)


def _listed(form: SectionForm, items: list[Any], *, most: int, first: str) -> Any:
    """The rows as a tuple, refused when there are more than the Brief holds."""
    if not form.ok:
        return None
    if len(items) > most:
        form.errors[first] = (N_("Too many entries: at most %(max)s."), {"max": most})
        return None
    return tuple(items)


def _audience(values: Values, form: SectionForm) -> Audience | None:
    fields = ROW_FIELDS[BriefSection.AUDIENCE]
    segments = []
    for index, row in _rows(values, "segments", fields):
        data = {
            "name": row["name"],
            "pains": _lines(row["pains"]),
            "where": _or_none(row["where"]),
            "budget": _or_none(row["budget"]),
        }
        segments.append(_build(form, Segment, data, _row_names("segments", index, fields)))
    if not form.ok:
        return None
    data = {"segments": tuple(segments), "ideal_customer": _or_none(values["ideal_customer"])}
    names = {"segments": "segments-0-name", "ideal_customer": "ideal_customer"}
    return _build(form, Audience, data, names)  # type: ignore[no-any-return]


def _goals(values: Values, form: SectionForm) -> tuple[Goal, ...] | None:
    fields = ROW_FIELDS[BriefSection.GOALS]
    goals = []
    for index, row in _rows(values, "goals", fields):
        names = _row_names("goals", index, fields)
        deadline = None
        if row["deadline"]:
            try:
                deadline = dt.date.fromisoformat(row["deadline"])
            except ValueError:
                form.errors[names["deadline"]] = (N_("Enter a date, like 2027-06-30."), {})
        data = {
            "statement": row["statement"],
            "metric": _or_none(row["metric"]),
            "target": _or_none(row["target"]),
            "deadline": deadline,
        }
        goals.append(_build(form, Goal, data, names))
    return _listed(form, goals, most=50, first="goals-0-statement")  # type: ignore[no-any-return]


def _voice(values: Values, form: SectionForm) -> BrandVoice | None:
    data = {
        "tone_words": _words(values["tone_words"]),
        "do": _lines(values["do"]),
        "dont": _lines(values["dont"]),
        "sample_phrases": _lines(values["sample_phrases"]),
    }
    return _build(form, BrandVoice, data, {key: key for key in data})  # type: ignore[no-any-return]


def _phrases(section: BriefSection) -> Callable[[Values, SectionForm], tuple[str, ...] | None]:
    def parse(values: Values, form: SectionForm) -> tuple[str, ...] | None:
        items = _lines(values[section.value])
        too_long = next((item for item in items if len(item) > 500), None)
        if too_long is not None:
            form.errors[section.value] = (N_("Use at most %(max)s characters."), {"max": 500})
            return None
        most = 30
        if len(items) > most:
            form.errors[section.value] = (N_("Too many entries: at most %(max)s."), {"max": most})
            return None
        return items

    return parse


def _constraints(values: Values, form: SectionForm) -> Constraints | None:
    team = _whole(form, "team_size", values["team_size"])
    data = {
        "budget": _or_none(values["budget"]),
        "time": _or_none(values["time"]),
        "team_size": team,
    }
    if not form.ok:
        return None
    return _build(form, Constraints, data, {key: key for key in data})  # type: ignore[no-any-return]


_PARSERS: dict[BriefSection, Callable[[Values, SectionForm], Any]] = {
    BriefSection.IDENTITY: _identity,
    BriefSection.OFFERINGS: _offerings,
    BriefSection.AUDIENCE: _audience,
    BriefSection.GOALS: _goals,
    BriefSection.BRAND_VOICE: _voice,
    BriefSection.DIFFERENTIATORS: _phrases(BriefSection.DIFFERENTIATORS),
    BriefSection.COMPETITORS: _phrases(BriefSection.COMPETITORS),
    BriefSection.CONSTRAINTS: _constraints,
}
