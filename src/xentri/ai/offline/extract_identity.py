"""Who and where: the business's name, the people, places, team size and founding year."""

from __future__ import annotations

import re

from xentri.ai.offline.analysis import NAME_RUN, PERSON_RUN, Analysis, span
from xentri.ai.offline.dates import MONTHS
from xentri.ai.offline.facts import (
    BusinessNameFact,
    PersonFact,
    TeamSizeFact,
    YearFoundedFact,
)
from xentri.ai.offline.language import COMMON_WORDS
from xentri.ai.offline.places import lookup
from xentri.ai.offline.text import clean_phrase, fold

# Straight, curly and angle quotes around a name.
_OPEN_QUOTE = "[\"'\u201c\u00ab]"
_QUOTED = re.compile("[\"'\u201c\u00ab]([^\"'\u201d\u00bb]{2,60})[\"'\u201d\u00bb]")
_TRAILING_CONNECTOR = re.compile(r"(?:\s+(?:de|del|la|las|los|the|of|y|and|&))+$")
_ROLES = {
    "partner": "partner", "business partner": "partner", "cofounder": "partner",
    "co-founder": "partner", "socio": "partner", "socia": "partner", "cofundador": "partner",
    "cofundadora": "partner", "manager": "staff", "assistant": "staff", "gerente": "staff",
    "asistente": "staff",
}  # fmt: skip


_ARTICLES = frozenset({"el", "la", "los", "las", "the"})
_COUNTS_SOMETHING_ELSE = re.compile(
    r"(?:\b(?:to|up\s+to|hasta|with|con|between|entre|for|para|than|que)\s+|\d\s+a\s+|-\s*)\Z",
    re.IGNORECASE,
)
_AND_ME = re.compile(r"\s+(?:y\s+yo|and\s+me|and\s+myself|plus\s+me|más\s+yo)\b", re.IGNORECASE)


def extract_business_names(analysis: Analysis, people: list[PersonFact]) -> list[BusinessNameFact]:
    """Names after a cue ("se llama"), in apposition, quoted, or carrying a kind of business."""
    found = [*_cued_names(analysis), *_shaped_names(analysis)]
    people_spans = [(p.span.start, p.span.end) for p in people]
    found = [
        fact
        for fact in found
        if not any(s < fact.span.end and fact.span.start < e for s, e in people_spans)
    ]
    return _best_per_name(found)


def _cued_names(analysis: Analysis) -> list[BusinessNameFact]:
    text, lexicon = analysis.text, analysis.lexicon
    found: list[BusinessNameFact] = []
    for cue in lexicon.business_name_cues:
        pattern = re.compile(
            rf"(?:{cue})[ \t]+(?:(?:el|la|los|las|the)[ \t]+)?{_OPEN_QUOTE}?(?P<name>{NAME_RUN})",
            re.IGNORECASE,
        )
        for match in pattern.finditer(text):
            name = _trim_name(match.group("name"))
            if name and not _is_not_a_business(name, analysis, cued=not cue.startswith("^")):
                confidence = 0.6 if cue.startswith("^") else 0.9
                found.append(_business(analysis, name, match.start("name"), confidence))
    for match in _QUOTED.finditer(text):
        name = clean_phrase(match.group(1))
        if name[:1].isupper() and not _is_not_a_business(name, analysis):
            found.append(_business(analysis, name, match.start(1), 0.7))
    return found


def _shaped_names(analysis: Analysis) -> list[BusinessNameFact]:
    text, lexicon = analysis.text, analysis.lexicon
    found: list[BusinessNameFact] = []
    listed = sorted((re.escape(n) for n in lexicon.business_nouns), key=len, reverse=True)
    # Shops are named by their trade: "florería", "zapatería"; "winery", "nursery".
    lower = "a-záéíóúñü"
    nouns = "|".join(
        [*listed, rf"[{lower}]{{3,}}er[ií]a", rf"[{lower}]{{3,}}ery", rf"[{lower}]+shop"]
    )
    # "the consultorio Sonrisa Plena", "my little company, Nube Labs"
    after_noun = re.compile(
        rf"(?<!\w)(?-i:{nouns})(?:[ \t]+(?:de|of)[ \t]+[^\W\d_]+)?\s*,?[ \t]+(?P<name>{NAME_RUN})"
    )
    # "Tierra Viva, una tienda...", "Petal & Stem is a flower shop"
    appositive = re.compile(
        rf"(?P<name>{NAME_RUN})(?:\s*,\s*|\s+(?:is|es)\s+)(?:a|an|un|una)\s", re.IGNORECASE
    )
    # "Lone Star Plumbing" anywhere; a run that opens the answer ("Tacos Doña Mary, en Tijuana")
    with_noun = re.compile(NAME_RUN)
    opening = re.compile(rf"^\s*(?P<name>{NAME_RUN})")
    folded_nouns = {fold(noun) for noun in lexicon.business_nouns}
    for pattern, confidence in (
        (after_noun, 0.75),
        (appositive, 0.7),
        (with_noun, 0.6),
        (opening, 0.55),
    ):
        for match in pattern.finditer(text):
            raw = match.group("name") if "name" in pattern.groupindex else match.group()
            name = _trim_name(raw, lexicon.sentence_openers)
            words = [fold(word) for word in name.split()]
            if pattern is with_noun and not (
                len(words) >= 2 and (words[0] in folded_nouns or words[-1] in folded_nouns)
            ):
                continue
            if pattern is opening and len(words) < 2:
                continue
            if name and not _is_not_a_business(name, analysis):
                start = text.find(name, match.start())
                found.append(_business(analysis, name, start, confidence))
    return found


def _business(analysis: Analysis, name: str, start: int, confidence: float) -> BusinessNameFact:
    return BusinessNameFact(
        name=name, span=span(start, start + len(name)), text=name, confidence=confidence
    )


def _trim_name(raw: str, openers: frozenset[str] = frozenset()) -> str:
    name = _TRAILING_CONNECTOR.sub("", clean_phrase(raw)).rstrip(".")
    first, _, rest = name.partition(" ")
    if rest and fold(first) in openers:
        return rest
    return name


def _is_not_a_business(name: str, analysis: Analysis, *, cued: bool = False) -> bool:
    """A greeting, a month, a place or a pronoun; after "se llama" only a one-word one."""
    words = name.split()
    if fold(words[0]) in _ARTICLES and len(words) > 1:
        words = words[1:]
    not_names = {fold(word) for word in analysis.lexicon.not_names}
    if fold(words[0]) in not_names and not (cued and len(words) > 1):
        return True
    if len(words) == 1 and (fold(name) in MONTHS or (name.isupper() and len(name) <= 3)):
        return True
    return lookup(name) is not None


def _best_per_name(facts: list[BusinessNameFact]) -> list[BusinessNameFact]:
    best: dict[str, BusinessNameFact] = {}
    for fact in sorted(facts, key=lambda f: (-f.confidence, f.span.start)):
        key = fold(fact.name)
        overlapping = any(
            fact.span.start < kept.span.end and kept.span.start < fact.span.end
            for kept in best.values()
        )
        if key not in best and not overlapping:
            best[key] = fact
    return sorted(best.values(), key=lambda f: f.span.start)


def extract_people(analysis: Analysis) -> list[PersonFact]:
    text, lexicon = analysis.text, analysis.lexicon
    not_names = {fold(word) for word in lexicon.not_names}
    people: dict[str, PersonFact] = {}
    for template in lexicon.person_patterns:
        pattern = re.compile(template.replace("{NAME}", PERSON_RUN), re.IGNORECASE)
        for match in pattern.finditer(text):
            name = _trim_name(match.group("name"))
            start = match.start("name")
            end = start + len(name)
            first = fold(name.split()[0]) if name else ""
            if not name or first in not_names or first in MONTHS or lookup(name) is not None:
                continue
            role_text = match.groupdict().get("role")
            role = _ROLES.get(fold(role_text), "family") if role_text else None
            if role is None and _speaker_cue(match.group()):
                role = "owner"
            fact = PersonFact(
                name=name, role=role, span=span(start, end), text=name, confidence=0.85
            )
            people.setdefault(fold(name), fact)
    if not people:
        people.update(_lower_case_speaker(analysis))
    return sorted(people.values(), key=lambda f: f.span.start)


# The speaker's name typed in lower case: "me llamo carla", "soy carla, hago uñas", "i'm sam and".
_LOWER_NAME = re.compile(
    r"\b(?:(?:me\s+llamo|mi\s+nombre\s+es|my\s+name\s+is|my\s+name's)\s+(?P<named>[a-záéíóúñü]+)"
    r"|(?:soy|i'm|i\s+am)\s+(?P<introduced>[a-záéíóúñü]+)(?=\s*,|\s+(?:y|and)\s))"
)


def _lower_case_speaker(analysis: Analysis) -> dict[str, PersonFact]:
    lexicon = analysis.lexicon
    known_words = (
        COMMON_WORDS | lexicon.audience_nouns | lexicon.business_nouns | set(lexicon.tone_words)
    )
    for match in _LOWER_NAME.finditer(analysis.text):
        group = "named" if match.group("named") else "introduced"
        word = match.group(group)
        if len(word) < 3 or fold(word) in known_words or word in known_words:
            continue
        start = match.start(group)
        fact = PersonFact(name=word.title(), role="owner", span=span(start, start + len(word)),
                          text=word, confidence=0.6)  # fmt: skip
        return {fold(word): fact}
    return {}


def _speaker_cue(matched: str) -> bool:
    return bool(
        re.match(r"(?i)(my name|i'?m|i am|this is|name'?s|me llamo|mi nombre|soy)", matched)
    )


# "How many people work in the business?" - "4." / "cinco"
_LONE_NUMBER = re.compile(r"^\s*(?P<count>\d{1,4}|[^\W\d_]+(?:[ -][^\W\d_]+)?)\s*[.!]?\s*$")


_NON_ANSWER = re.compile(
    r"(?i)^(?:no\s+s[eé]|no\s+lo\s+s[eé]|i\s+don'?t\s+know|dunno|n/?a|none|nothing|ninguno|"
    r"nada|skip|paso|not\s+yet|todav[ií]a\s+no|a[uú]n\s+no|no\s+tiene|no\s+name|sin\s+nombre|"
    r"yes|no|s[ií]|ok|okay|hmm+|idk)\b"
)


def bare_business_name(analysis: Analysis) -> list[BusinessNameFact]:
    """A short answer to "what is the business called?" is the name: "la esquina", "Nube"."""
    name = clean_phrase(analysis.text).rstrip(".!")
    words = name.split()
    if not 1 <= len(words) <= 6 or any(n.start == 0 for n in analysis.numbers):
        return []
    if _is_not_a_business(name, analysis, cued=True) or _NON_ANSWER.match(name):
        return []
    start = analysis.text.find(name)
    return [BusinessNameFact(name=name[:1].upper() + name[1:], span=span(start, start + len(name)),
                             text=name, confidence=0.7)]  # fmt: skip


def _count_at(analysis: Analysis, start: int, end: int) -> int | None:
    raw = analysis.text[start:end]
    if raw.isdigit():
        return int(raw)
    for number in analysis.numbers:
        whole = number.value == number.value.to_integral_value() and 0 < number.value < 10_000
        if number.start == start and not number.ordinal and not number.article and whole:
            return int(number.value)
    return None


def extract_team_size(
    analysis: Analysis, goal_spans: list[tuple[int, int]], *, expecting: bool = False
) -> list[TeamSizeFact]:
    text, lexicon = analysis.text, analysis.lexicon
    for pattern in lexicon.team_patterns:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            if any(start <= match.start() < end for start, end in goal_spans):
                continue
            if _COUNTS_SOMETHING_ELSE.search(text, 0, match.start("count")):
                continue  # "for up to six people", "companies with 10 to 50 employees"
            count = _count_at(analysis, match.start("count"), match.end("count"))
            if count is not None and _AND_ME.match(text, match.end()):
                count += 1  # "three barbers and me"
            if count is not None and count < 1000:
                return [
                    TeamSizeFact(
                        people=count,
                        span=span(match.start(), match.end()),
                        text=match.group(),
                        confidence=0.8,
                    )
                ]
    lone = _LONE_NUMBER.match(text)
    if expecting and lone:
        count = _count_at(analysis, lone.start("count"), lone.end("count"))
        if count is not None:
            return [TeamSizeFact(people=count, span=span(lone.start("count"), lone.end("count")),
                                 text=lone.group("count"), confidence=0.7)]  # fmt: skip
    for pattern in lexicon.solo_patterns:
        alone = re.search(pattern, text, re.IGNORECASE)
        if alone:
            return [
                TeamSizeFact(
                    people=1,
                    span=span(alone.start(), alone.end()),
                    text=alone.group(),
                    confidence=0.7,
                )
            ]
    return []


def extract_year_founded(analysis: Analysis) -> list[YearFoundedFact]:
    text, lexicon, today = analysis.text, analysis.lexicon, analysis.today
    for pattern in lexicon.founded_patterns:
        match = re.search(pattern, text, re.IGNORECASE)
        if match and int(match.group("year")) <= today.year:
            return [
                YearFoundedFact(
                    year=int(match.group("year")),
                    span=span(match.start("year"), match.end("year")),
                    text=match.group("year"),
                    confidence=0.85,
                )
            ]
    for pattern in lexicon.years_in_business_patterns:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            years = _count_at(analysis, match.start("years"), match.end("years"))
            if years is not None and years < 150:
                return [
                    YearFoundedFact(
                        year=today.year - years,
                        span=span(match.start(), match.end()),
                        text=match.group(),
                        confidence=0.6,
                    )
                ]
    return []
