"""Tokens with offsets, clause boundaries and capitalised runs: the engine's view of a text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\S", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_digit(self) -> bool:
        return self.text[:1].isdigit()


def tokenize(text: str) -> list[Token]:
    return [Token(match.group(), match.start(), match.end()) for match in _TOKEN.finditer(text)]


def fold(word: str) -> str:
    """Lower-case and strip accents, so "Dólares" and "dolares" compare equal."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


CLAUSE_PUNCTUATION = frozenset('.;:!?¡¿()\n"“”')
SENTENCE_PUNCTUATION = frozenset(".!?\n")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentence spans; a period between digits ("1.200") does not end a sentence."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for index, char in enumerate(text):
        if char not in SENTENCE_PUNCTUATION:
            continue
        if char == "." and _between_digits(text, index):
            continue
        if index + 1 > start and text[start:index].strip():
            bounds.append((start, index + 1))
        start = index + 1
    if text[start:].strip():
        bounds.append((start, len(text)))
    return bounds


def _between_digits(text: str, index: int) -> bool:
    return 0 < index < len(text) - 1 and text[index - 1].isdigit() and text[index + 1].isdigit()


def clean_phrase(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase).strip(_PHRASE_EDGES)


# Spaces, punctuation, dashes and straight or curly quotes never start or end a phrase.
_PHRASE_EDGES = " ,;:-\u2013\u2014\"'\u201c\u201d\u2018\u2019"
