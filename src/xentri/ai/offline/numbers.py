"""Numbers in running text: digits with either decimal convention, multipliers, number words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from text_to_num import find_numbers

from xentri.ai.offline.facts import Language
from xentri.ai.offline.text import Token, fold, tokenize

MULTIPLIERS: dict[str, Decimal] = {
    "k": Decimal(1000), "mil": Decimal(1000), "thousand": Decimal(1000),
    "m": Decimal(1_000_000), "mm": Decimal(1_000_000), "million": Decimal(1_000_000),
    "millions": Decimal(1_000_000), "millon": Decimal(1_000_000),
    "millones": Decimal(1_000_000),
}  # fmt: skip

# Articles that text2num reads as "1"; they only count as a number next to a unit we know.
_ARTICLES = frozenset({"un", "una", "uno", "one", "a", "an"})
# Apocopated forms text2num does not know.
_WORD_FIXES = {"veintiún": "veintiuno", "veintiun": "veintiuno", "ningún": "ninguno"}
_NUMBER_TOKEN = re.compile(r"^\d+(?:[.,]\d+)*$")


@dataclass(frozen=True, slots=True)
class NumberMention:
    value: Decimal
    start: int
    end: int
    ordinal: bool = False
    from_words: bool = False
    article: bool = False  # "un", "a": a number only when a unit follows

    @property
    def is_year(self) -> bool:
        return (
            not self.from_words
            and self.value == self.value.to_integral_value()
            and 1900 <= self.value <= 2100
        )


def parse_decimal(raw: str, *, language: Language = "en") -> Decimal:
    """Read "1,200.50", "1.200,50", "1.500" or "2,5" the way a person of that language means it."""
    digits = raw.strip()
    has_dot, has_comma = "." in digits, "," in digits
    if has_dot and has_comma:
        decimal_mark = "." if digits.rfind(".") > digits.rfind(",") else ","
    elif has_dot or has_comma:
        mark = "." if has_dot else ","
        groups = digits.split(mark)
        # A single separator followed by exactly three digits groups thousands ("1.500",
        # "1,500"); otherwise it is the decimal mark ("2,5", "12.50").
        thousands = len(groups) > 2 or (len(groups[-1]) == 3 and groups[0] != "0")
        decimal_mark = "" if thousands else mark
    else:
        decimal_mark = ""
    if decimal_mark:
        thousands_mark = "," if decimal_mark == "." else "."
        normalised = digits.replace(thousands_mark, "").replace(decimal_mark, ".")
    else:
        normalised = digits.replace(",", "").replace(".", "")
    try:
        return Decimal(normalised)
    except InvalidOperation as error:
        raise ValueError(f"not a number: {raw!r}") from error


class _WordToken:
    """The token protocol text2num's find_numbers expects."""

    def __init__(self, token: Token) -> None:
        self._text = _WORD_FIXES.get(token.lower, token.text)
        # Digits are read by parse_decimal; a marker keeps text2num from joining across them.
        if token.is_digit:
            self._text = "|"

    def text(self) -> str:
        return self._text

    def nt_separated(self, previous: _WordToken) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


def find_number_mentions(text: str, *, language: Language) -> list[NumberMention]:
    """Every number in the text with its span, in order; "10k" and "2,5 millones" included."""
    tokens = tokenize(text)
    mentions: list[NumberMention] = []
    consumed: set[int] = set()
    for index, token in enumerate(tokens):
        if not _NUMBER_TOKEN.match(token.text):
            continue
        value = parse_decimal(token.text, language=language)
        end = token.end
        suffix = _multiplier_after(tokens, index)
        if suffix is not None:
            multiplier, suffix_index = suffix
            value *= multiplier
            end = tokens[suffix_index].end
            consumed.add(suffix_index)
        mentions.append(NumberMention(value=value, start=token.start, end=end))
    word_tokens = [_WordToken(token) for token in tokens]
    for occurrence in find_numbers(word_tokens, language, 0.0):
        indices = range(occurrence.start, occurrence.end)
        if any(i in consumed for i in indices):
            continue
        first, last = tokens[occurrence.start], tokens[occurrence.end - 1]
        is_article = occurrence.end - occurrence.start == 1 and first.lower in _ARTICLES
        mentions.append(
            NumberMention(
                value=Decimal(str(occurrence.value)).normalize() + 0,
                start=first.start,
                end=last.end,
                ordinal=bool(occurrence.is_ordinal) or fold(first.text) in _ORDINAL_STEMS,
                from_words=True,
                article=is_article,
            )
        )
    mentions.extend(_ordinals_missed(tokens, mentions))
    mentions.sort(key=lambda mention: mention.start)
    return mentions


# Ordinals text2num leaves alone because they have another sense ("un segundo" is a second of
# time); before a noun they count: "un segundo local", "a third truck".
_ORDINAL_WORDS = {
    "segundo": 2, "segunda": 2, "tercer": 3, "tercero": 3, "tercera": 3, "cuarto": 4,
    "cuarta": 4, "quinto": 5, "quinta": 5, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
}  # fmt: skip
_NOT_A_NOUN_AFTER = frozenset({"de", "del", "of", "time", "times", "vez", "y", "and"})


def _ordinals_missed(tokens: list[Token], found: list[NumberMention]) -> list[NumberMention]:
    starts = {mention.start for mention in found}
    missed: list[NumberMention] = []
    for index, token in enumerate(tokens[:-1]):
        value = _ORDINAL_WORDS.get(token.lower)
        following = tokens[index + 1]
        if value is None or token.start in starts:
            continue
        if not following.is_word or following.lower in _NOT_A_NOUN_AFTER:
            continue
        missed.append(
            NumberMention(
                value=Decimal(value),
                start=token.start,
                end=token.end,
                ordinal=True,
                from_words=True,
            )
        )
    return missed


_ORDINAL_STEMS = frozenset({"tercer", "tercera", "tercero", "primer", "primera", "cuarta"})


def _multiplier_after(tokens: list[Token], index: int) -> tuple[Decimal, int] | None:
    following = index + 1
    if following >= len(tokens):
        return None
    word = fold(tokens[following].text)
    attached = tokens[following].start == tokens[index].end
    if word in {"k", "m", "mm"} and not attached:
        return None
    if word in MULTIPLIERS:
        # "2 millones de pesos" and "10 mil" multiply; "5 m" (metres) would be attached-only.
        return MULTIPLIERS[word], following
    return None
