"""Changes to the Brief asked for in words, on the offline engine (English or Spanish).

They read the words when no model is configured, and whenever the configured one cannot
(brief_changes, ADR 0027). What they understand, and nothing more:
- setting a text field: "tagline: Fresh bread daily", "set the mission to …", "cambia el eslogan
  a …" (name, legal name, tagline, mission, story);
- shortening one: "make the tagline shorter", "haz la misión más corta" (keeps the first clause,
  at most eight words — it never writes new words);
- removing a named item: "remove the competitor Roto-Rooter", "quita pan dulce" (offerings,
  audience segments, goals, tone words, differentiators, competitors);
- adding or repricing what the interview's extractor finds: offerings with prices ("add an
  offering: cakes 25 USD each", "drain cleaning is now $175"), audience segments, goals, tone
  words, team size, a differentiator or competitor after "add a competitor: …".
Anything else changes nothing, and the page says so.
"""

from __future__ import annotations

import datetime as dt
import re

from xentri.ai.offline import (
    AudienceFact,
    BriefSection,
    GoalFact,
    Language,
    OfferingFact,
    TeamSizeFact,
    ToneFact,
    extract_facts,
    format_money,
)
from xentri.ai.offline.text import clean_phrase, fold
from xentri.contracts.brief import Brief, Goal, Offering, Segment

_FIELDS = {
    "tagline": "tagline", "slogan": "tagline", "eslogan": "tagline", "lema": "tagline",
    "mission": "mission", "mision": "mission",
    "story": "story", "historia": "story",
    "legal name": "legal_name", "razon social": "legal_name", "nombre legal": "legal_name",
    "name": "name", "nombre": "name",
}  # fmt: skip
_FIELD_WORDS = "|".join(sorted((re.escape(word) for word in _FIELDS), key=len, reverse=True))
_ARTICLE = r"(?:(?:the|our|my|el|la|mi|nuestra|nuestro)\s+)?"
_SET = re.compile(
    rf"^(?:(?:set|change|make|update|cambia|pon|actualiza)\s+)?{_ARTICLE}(?P<field>{_FIELD_WORDS})"
    rf"(?:\s+(?:to|is|should\s+be|a|por|es|sea|as|como))?\s*[:=]?\s*(?P<value>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_SHORTER = re.compile(
    rf"(?:shorter|shorten|mas\s+cort[oa]|acorta).*?{_ARTICLE}(?P<field>{_FIELD_WORDS})|"
    rf"{_ARTICLE}(?P<field2>{_FIELD_WORDS})\b.*?(?:shorter|mas\s+cort[oa])",
    re.IGNORECASE,
)
_REMOVE = re.compile(
    r"^(?:remove|delete|drop|quita|quitar|elimina|eliminar|borra|borrar)\s+(?:the\s+|el\s+|la\s+|"
    r"los\s+|las\s+)?(?:(?:offering|product|service|competitor|goal|segment|tone\s+word|"
    r"differentiator|oferta|producto|servicio|competidor|meta|segmento)s?\s*:?\s+)?(?P<what>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_ADD_PHRASE = re.compile(
    r"^(?:add|agrega|añade|anade)\s+(?:an?\s+|un\s+|una\s+)?"
    r"(?P<kind>competitor|differentiator|competidor|diferenciador)\s*:?\s*(?P<what>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_EXPECT = (
    (BriefSection.OFFERINGS, ("offering", "product", "service", "price", "oferta", "producto",
                              "servicio", "precio")),
    (BriefSection.GOALS, ("goal", "meta", "objetivo")),
    (BriefSection.AUDIENCE, ("customer", "audience", "segment", "cliente", "publico", "segmento")),
    (BriefSection.BRAND_VOICE, ("tone", "voice", "tono", "voz")),
)  # fmt: skip
_COMMAND = re.compile(
    r"^(?:(?:please|por\s+favor)\s+)?(?:add|also|agrega|añade|anade|incluye|tambien)?\s*"
    r"(?:an?|un|una|the|el|la|new|nuev[oa])?\s*(?:(?:offering|product|service|goal|customer|"
    r"segment|tone\s+words?|oferta|producto|servicio|meta|objetivo|cliente|segmento|tono)s?)?"
    r"\s*:?\s*",
    re.IGNORECASE,
)
_PRICE_OF = re.compile(r"^(?:the\s+)?price\s+of\s+|^el\s+precio\s+de(?:l)?\s+", re.IGNORECASE)
SHORT_WORDS = 8


def apply_words(
    brief: Brief,
    text: str,
    *,
    today: dt.date,
    default_currency: str | None,
    language: Language,
) -> Brief:
    """The Brief after the change `text` asks for; the same Brief when nothing was understood."""
    request = text.strip()
    folded = fold(request)
    if (shorter := _SHORTER.search(folded)) is not None:
        return _shorten(brief, _FIELDS[shorter.group("field") or shorter.group("field2")])
    if (removal := _REMOVE.match(request)) is not None:
        return _remove(brief, clean_phrase(removal.group("what")))
    if (phrase := _ADD_PHRASE.match(request)) is not None:
        return _add_phrase(brief, fold(phrase.group("kind")), clean_phrase(phrase.group("what")))
    if (setting := _SET.match(request)) is not None:
        field = _FIELDS[fold(setting.group("field")).strip()]
        value = clean_phrase(setting.group("value"))
        if value:
            return _set_identity(brief, field, value)
    return _merge_facts(brief, request, today, default_currency, language)


def _set_identity(brief: Brief, field: str, value: str) -> Brief:
    limits = {"name": 200, "legal_name": 200, "tagline": 300, "mission": 2000, "story": 5000}
    identity = brief.identity.model_copy(update={field: value[: limits[field]]})
    return brief.model_copy(update={"identity": identity})


def _shorten(brief: Brief, field: str) -> Brief:
    current = getattr(brief.identity, field, None)
    if not isinstance(current, str) or not current:
        return brief
    clause = re.split("[.;:!?\u2014\u2013]|,\\s", current, maxsplit=1)[0].strip()
    words = (clause or current).split()
    shorter = " ".join(words[:SHORT_WORDS]).rstrip(",")
    if not shorter or shorter == current:
        return brief
    return brief.model_copy(update={"identity": brief.identity.model_copy(update={field: shorter})})


def _matches(name: str, wanted: str) -> bool:
    return bool(name) and fold(name).strip(" .") == fold(wanted).strip(" .")


def _remove(brief: Brief, what: str) -> Brief:
    return brief.model_copy(
        update={
            "offerings": tuple(o for o in brief.offerings if not _matches(o.name, what)),
            "goals": tuple(g for g in brief.goals if not _matches(g.statement, what)),
            "differentiators": tuple(d for d in brief.differentiators if not _matches(d, what)),
            "competitors": tuple(c for c in brief.competitors if not _matches(c, what)),
            "audience": brief.audience.model_copy(
                update={
                    "segments": tuple(
                        s for s in brief.audience.segments if not _matches(s.name, what)
                    )
                }
            ),
            "brand_voice": brief.brand_voice.model_copy(
                update={
                    "tone_words": tuple(
                        w for w in brief.brand_voice.tone_words if not _matches(w, what)
                    )
                }
            ),
        }
    )


def _add_phrase(brief: Brief, kind: str, what: str) -> Brief:
    if not what:
        return brief
    key = "competitors" if kind.startswith("compet") else "differentiators"
    current: tuple[str, ...] = getattr(brief, key)
    if any(_matches(item, what) for item in current) or len(current) >= 30:
        return brief
    return brief.model_copy(update={key: (*current, what[:500])})


def _merge_facts(
    brief: Brief, request: str, today: dt.date, currency: str | None, language: Language
) -> Brief:
    folded = fold(request)
    expecting = next(
        (section for section, words in _EXPECT if any(word in folded for word in words)), None
    )
    body = _PRICE_OF.sub("", _COMMAND.sub("", request, count=1))
    extraction = extract_facts(
        body, today=today, language=language, default_currency=currency, expecting=expecting
    )
    offerings = list(brief.offerings)
    segments = list(brief.audience.segments)
    goals = list(brief.goals)
    tones = list(brief.brand_voice.tone_words)
    team_size = brief.constraints.team_size
    for fact in extraction.facts:
        if isinstance(fact, OfferingFact) and fact.name:
            offerings = _with_offering(offerings, fact, folded)
        elif isinstance(fact, AudienceFact) and not any(
            _matches(s.name, fact.segment) for s in segments
        ):
            segments.append(Segment(name=fact.segment[:200]))
        elif isinstance(fact, GoalFact):
            goals.append(_goal(fact, language))
        elif isinstance(fact, ToneFact) and not any(_matches(w, fact.word) for w in tones):
            tones.append(fact.word)
        elif isinstance(fact, TeamSizeFact):
            team_size = fact.people
    return brief.model_copy(
        update={
            "offerings": tuple(offerings[:100]),
            "audience": brief.audience.model_copy(update={"segments": tuple(segments[:20])}),
            "goals": tuple(goals[:50]),
            "brand_voice": brief.brand_voice.model_copy(update={"tone_words": tuple(tones[:20])}),
            "constraints": brief.constraints.model_copy(update={"team_size": team_size}),
        }
    )


def _with_offering(offerings: list[Offering], fact: OfferingFact, request: str) -> list[Offering]:
    name = clean_phrase(fact.name or "")[:200]
    price = fact.price
    update = (
        {"price_minor": price.money.minor_units, "currency": price.money.currency} if price else {}
    )
    if price and price.unit:
        update["unit"] = price.unit
    named = [i for i, known in enumerate(offerings) if fold(known.name) in request]
    for index, known in enumerate(offerings):
        # The names meet either way round ("price of drain cleaning" / "Drain cleaning"); and
        # "drain cleaning is now $175" reprices the one offering the request names.
        same = fold(known.name) in fold(name) or fold(name) in fold(known.name)
        if same or (price is not None and named == [index]):
            offerings[index] = known.model_copy(update=update)
            return offerings
    offerings.append(Offering(name=name, **update))
    return offerings


def _goal(fact: GoalFact, language: Language) -> Goal:
    target = None
    if fact.target_money is not None:
        target = format_money(fact.target_money, language=language)
    elif fact.target is not None:
        target = str(fact.target)
    if target and fact.per:
        target = f"{target}/{fact.per}"
    statement = clean_phrase(_COMMAND.sub("", fact.statement, count=1)) or fact.statement
    return Goal(
        statement=statement[:500],
        metric=fact.metric,
        target=target[:100] if target else None,
        deadline=fact.deadline,
    )
