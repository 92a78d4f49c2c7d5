"""One pass over an answer's text shared by every extractor: tokens, numbers, money, dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from xentri.ai.offline.dates import DateMention
from xentri.ai.offline.facts import Fact, Language, Span
from xentri.ai.offline.lexicon import Lexicon
from xentri.ai.offline.lexicon_en import LEXICON as ENGLISH
from xentri.ai.offline.lexicon_es import LEXICON as SPANISH
from xentri.ai.offline.money import MoneyMention
from xentri.ai.offline.numbers import NumberMention

LEXICONS: dict[Language, Lexicon] = {"en": ENGLISH, "es": SPANISH}

_UPPER = "A-ZÁÉÍÓÚÑÜ"
_NAME_WORD = rf"(?:[{_UPPER}][\w'\u2019&-]*|&)"
# A capitalised run, case-sensitive even inside patterns compiled with IGNORECASE.
_CONNECTOR = r"(?:de|del|la|las|los|the|of|y|and|&)"
NAME_RUN = rf"(?-i:{_NAME_WORD}(?:[ \t]+(?:{_CONNECTOR}[ \t]+)?{_NAME_WORD}){{0,4}})"
PERSON_RUN = rf"(?-i:{_NAME_WORD}(?:[ \t]+(?:(?:de|del|la)[ \t]+)?{_NAME_WORD}){{0,2}})"


@dataclass
class Analysis:
    text: str
    language: Language
    today: dt.date
    default_currency: str | None
    numbers: list[NumberMention]
    money: list[MoneyMention]
    dates: list[DateMention]
    countries: list[str] = field(default_factory=list)
    # names and places already found, which an offering or audience phrase must not reuse
    claimed: list[Fact] = field(default_factory=list)

    @property
    def lexicon(self) -> Lexicon:
        return LEXICONS[self.language]


def span(start: int, end: int) -> Span:
    return Span(start=start, end=end)


def word_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)
