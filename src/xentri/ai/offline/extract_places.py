"""Places: gazetteer cities, regions and countries, and unknown places after "in" / "en"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from xentri.ai.offline.analysis import NAME_RUN, Analysis, span
from xentri.ai.offline.dates import MONTHS
from xentri.ai.offline.facts import LocationFact
from xentri.ai.offline.places import lookup
from xentri.ai.offline.text import clean_phrase, fold

_TRAILING_CONNECTOR = re.compile(r"(?:\s+(?:de|del|la|las|los|the|of|y|and|&))+$")
# Owners who type in lower case still name their city after a preposition: "hago uñas en cali".
_LOWER_AFTER_CUE = re.compile(
    r"\b(?:in|en|from|desde|based\s+in|near|cerca\s+de)\s+"
    r"(?P<phrase>[a-záéíóúñü]+(?:[ \t]+[a-záéíóúñü]+){0,2})"
)


def extract_locations(analysis: Analysis) -> list[LocationFact]:
    text, lexicon = analysis.text, analysis.lexicon
    places: list[LocationFact] = []
    not_places = {fold(word) for word in lexicon.not_names} | set(MONTHS)
    for match in re.finditer(NAME_RUN, text):
        known = next(
            (
                (phrase, start, place)
                for phrase, start in _sub_phrases(match.group(), match.start())
                if (place := lookup(phrase)) is not None
            ),
            None,
        )
        # "Nueva Córdoba" is a place of its own, not Córdoba; "Austin Texas" is Austin.
        if (
            known is not None
            and known[1] > match.start()
            and lookup(text[match.start() : known[1]]) is None
        ):
            known = None
        if known is not None:
            phrase, start, place = known
            places.append(
                LocationFact(
                    city=place.city,
                    region=place.region,
                    country=place.country,
                    span=span(start, start + len(phrase)),
                    text=phrase,
                    confidence=0.85,
                )
            )
            continue
        phrase = _TRAILING_CONNECTOR.sub("", clean_phrase(match.group()))
        if not all(word.replace("'", "").isalpha() for word in phrase.split()):
            continue  # "in Q3 2027" is a date
        before = text[max(0, match.start() - 16) : match.start()]
        strong = re.search(rf"(?i){_STRONG_PLACE_CUES}\s+$", before) is not None
        weak = re.search(r"(?:\bin|\ben|\bnear|\bcerca\s+de)\s+$", before) is not None
        if (strong or weak) and phrase and fold(phrase.split()[0]) not in not_places:
            places.append(
                LocationFact(
                    city=phrase,
                    span=span(match.start(), match.start() + len(phrase)),
                    text=phrase,
                    confidence=0.6 if strong else 0.45,
                )
            )
    places.extend(_lower_case_places(text, places))
    places.sort(key=lambda place: place.span.start)
    return _merge_city_and_region(places, text)


def _lower_case_places(text: str, found: list[LocationFact]) -> list[LocationFact]:
    """Gazetteer places typed in lower case, right after a preposition of place."""
    places: list[LocationFact] = []
    for match in _LOWER_AFTER_CUE.finditer(text):
        words = match.group("phrase").split()
        for size in range(len(words), 0, -1):
            phrase = " ".join(words[:size])
            place = lookup(phrase)
            start = match.start("phrase")
            if place is None or any(f.span.start <= start < f.span.end for f in found):
                continue
            places.append(
                LocationFact(
                    city=place.city,
                    region=place.region,
                    country=place.country,
                    span=span(start, start + len(phrase)),
                    text=phrase,
                    confidence=0.6,
                )
            )
            break
    return places


_STRONG_PLACE_CUES = r"(?:based\s+in|located\s+in|ubicad[oa]s?\s+en|estamos\s+en|basad[oa]s?\s+en)"


def _sub_phrases(run: str, offset: int) -> Iterator[tuple[str, int]]:
    """The run itself, then shorter pieces left to right ("Austin Texas" -> "Austin")."""
    words = [(m.group(), m.start()) for m in re.finditer(r"\S+", run)]
    for size in range(len(words), 0, -1):
        for first in range(len(words) - size + 1):
            piece = words[first : first + size]
            phrase = run[piece[0][1] : piece[-1][1] + len(piece[-1][0])].rstrip(".,")
            yield phrase, offset + piece[0][1]


def _merge_city_and_region(places: list[LocationFact], text: str) -> list[LocationFact]:
    merged: list[LocationFact] = []
    for place in places:
        previous = merged[-1] if merged else None
        between = text[previous.span.end : place.span.start] if previous else ""
        joins = re.fullmatch(r"\s*,?\s*(?:\(|en\s+|in\s+)?", between) is not None
        if (
            previous is not None
            and joins
            and previous.city is not None
            and place.city is None
            and (previous.country in {None, place.country})
        ):
            merged[-1] = LocationFact(
                city=previous.city,
                region=place.region or previous.region,
                country=place.country or previous.country,
                span=span(previous.span.start, place.span.end),
                text=text[previous.span.start : place.span.end],
                confidence=max(previous.confidence, place.confidence),
            )
            continue
        merged.append(place)
    return merged
