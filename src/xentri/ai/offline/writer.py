"""Text from templates and the Brief: tagline, about us, mission draft, interview summary.

Every template leaves out what is not known rather than inventing it; with nothing known the
writer says so plainly.
"""

from __future__ import annotations

import re

from babel import Locale

from xentri.ai.offline.facts import Language
from xentri.ai.offline.formatting import format_day, format_money, format_number, join_list
from xentri.ai.offline.known import KnownFacts, KnownGoal, KnownOffering
from xentri.ai.offline.writer_texts import TEXTS, UNIT_LABELS

_INTENT = re.compile(
    r"^(?:(?:we|i)\s+(?:want|would\s+like|'d\s+like|hope|plan|need)\s+to\s+|"
    r"(?:our|my)\s+goal\s+is\s+(?:to\s+)?|goal:\s*|(?:queremos|quiero|esperamos|planeamos)\s+|"
    r"(?:nuestra|mi)\s+meta\s+es\s+|meta:\s*)",
    re.IGNORECASE,
)


def tagline(known: KnownFacts, *, language: Language | None = None) -> str:
    lang = language or known.language
    text = TEXTS[lang]
    offerings = _offering_names(known, limit=2)
    audience = join_list(list(known.audience[:2]), language=lang)
    place = known.identity.city or known.identity.region
    parts = []
    if offerings:
        parts.append(_capitalise(join_list(offerings, language=lang)))
        if audience:
            parts.append(text["for"].format(audience=audience))
        if place:
            parts.append(text["in"].format(place=place))
    body = " ".join(parts)
    if known.tone_words and body:
        body += ", " + join_list(list(known.tone_words[:2]), language=lang)
    name = known.identity.name
    if name and body:
        return f"{name}: {body}."
    if body:
        return f"{body}."
    return name or text["tagline_fallback"]


def about_us(known: KnownFacts, *, language: Language | None = None) -> str:
    lang = language or known.language
    text = TEXTS[lang]
    identity = known.identity
    name = identity.name or text["we"]
    sentences: list[str] = []
    place = _place(known, lang)
    if place and identity.year_founded:
        sentences.append(
            text["about_place_year"].format(name=name, place=place, year=identity.year_founded)
        )
    elif place:
        sentences.append(text["about_place"].format(name=name, place=place))
    elif identity.year_founded:
        sentences.append(text["about_year"].format(name=name, year=identity.year_founded))
    offerings = _offering_names(known, limit=4)
    if offerings:
        sentences.append(text["about_offer"].format(offerings=join_list(offerings, language=lang)))
    if known.audience:
        audience = join_list(list(known.audience[:3]), language=lang)
        sentences.append(text["about_audience"].format(audience=audience))
    if known.differentiators:
        sentences.append(text["about_different"].format(reason=_sentence(known.differentiators[0])))
    if known.constraints.team_size and known.constraints.team_size > 1:
        sentences.append(text["about_team"].format(count=known.constraints.team_size))
    if known.tone_words:
        tones = join_list(list(known.tone_words[:3]), language=lang)
        sentences.append(text["about_tone"].format(tones=tones))
    if not sentences:
        return text["about_fallback"]
    return " ".join(sentences)


def mission(known: KnownFacts, *, language: Language | None = None) -> str:
    lang = language or known.language
    text = TEXTS[lang]
    offerings = _offering_names(known, limit=3)
    if not offerings:
        return text["mission_fallback"]
    statement = text["mission_offer"].format(offerings=join_list(offerings, language=lang))
    if known.audience:
        statement += text["mission_audience"].format(
            audience=join_list(list(known.audience[:2]), language=lang)
        )
    place = known.identity.city or known.identity.region
    if place:
        statement += text["in_place"].format(place=place)
    if known.tone_words:
        statement += text["mission_tone"].format(
            tones=join_list(list(known.tone_words[:2]), language=lang)
        )
    return statement + "."


def summary(known: KnownFacts, *, language: Language | None = None) -> str:
    """ "What I understood so far", one line per section, then what is still missing."""
    lang = language or known.language
    text = TEXTS[lang]
    lines = [text["summary_intro"]]
    missing: list[str] = []
    identity = known.identity
    if identity.name:
        lines.append(f"- {text['label_name']}: {identity.name}")
    else:
        missing.append(text["label_name"])
    if identity.owner:
        lines.append(f"- {text['label_owner']}: {identity.owner}")
    place = _place(known, lang)
    if place:
        lines.append(f"- {text['label_place']}: {place}")
    else:
        missing.append(text["label_place"])
    if known.offerings:
        rendered = [_offering_line(o, lang) for o in known.offerings]
        lines.append(f"- {text['label_offerings']}: {'; '.join(rendered)}")
    else:
        missing.append(text["label_offerings"])
    _list_line(lines, missing, text["label_audience"], known.audience, lang)
    if known.goals:
        lines.append(
            f"- {text['label_goals']}: {'; '.join(_goal_line(g, lang) for g in known.goals)}"
        )
    else:
        missing.append(text["label_goals"])
    _list_line(lines, missing, text["label_tone"], known.tone_words, lang)
    _list_line(lines, missing, text["label_different"], known.differentiators, lang)
    _list_line(lines, missing, text["label_competitors"], known.competitors, lang)
    lines.extend(_constraint_lines(known, lang))
    if identity.year_founded:
        lines.append(f"- {text['label_founded']}: {identity.year_founded}")
    if missing:
        lines.append(text["summary_missing"].format(items=join_list(missing, language=lang)))
    return "\n".join(lines)


def _constraint_lines(known: KnownFacts, lang: Language) -> list[str]:
    text, constraints = TEXTS[lang], known.constraints
    lines = []
    if constraints.budget:
        budget = format_money(constraints.budget, language=lang)
        per = UNIT_LABELS[lang].get(constraints.budget_per or "", "")
        lines.append(f"- {text['label_budget']}: {budget}{' ' + per if per else ''}")
    if constraints.team_size:
        lines.append(
            f"- {text['label_team']}: {format_number(constraints.team_size, language=lang)}"
        )
    return lines


def _list_line(
    lines: list[str], missing: list[str], label: str, values: tuple[str, ...], lang: Language
) -> None:
    if values:
        lines.append(f"- {label}: {join_list(list(values), language=lang)}")
    else:
        missing.append(label)


def _offering_names(known: KnownFacts, *, limit: int) -> list[str]:
    return [o.name for o in known.offerings if o.name][:limit]


def _offering_line(offering: KnownOffering, lang: Language) -> str:
    name = offering.name or TEXTS[lang]["unnamed_offering"]
    if offering.price is None:
        return name
    price = format_money(offering.price.money, language=lang)
    unit = UNIT_LABELS[lang].get(offering.price.unit or "", "")
    return f"{name} ({price}{' ' + unit if unit else ''})"


def _goal_line(goal: KnownGoal, lang: Language) -> str:
    line = _INTENT.sub("", goal.statement.rstrip(". "))
    if goal.deadline and not re.search(r"\d{4}", line):
        line += f" ({format_day(goal.deadline, language=lang)})"
    return line


def _place(known: KnownFacts, lang: Language) -> str:
    identity = known.identity
    country = Locale(lang).territories.get(identity.country) if identity.country else None
    parts = [p for p in (identity.city, identity.region, country) if p]
    unique = [p for i, p in enumerate(parts) if p not in parts[:i]]
    return ", ".join(unique)


def _capitalise(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def _sentence(phrase: str) -> str:
    phrase = phrase.strip().rstrip(".")
    return phrase[:1].lower() + phrase[1:] if not phrase[:2].isupper() else phrase
