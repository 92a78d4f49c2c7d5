"""Amounts of money in running text: symbol, code or word, resolved to an ISO currency."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from xentri.ai.offline.currencies import (
    DOLLAR_CURRENCIES,
    NATIONALITY,
    PESO_CURRENCIES,
    SYMBOLS,
    WORDS,
    is_iso_code,
    minor_units,
    resolve_dollar_sign,
    resolve_peso,
)
from xentri.ai.offline.facts import Language, Money
from xentri.ai.offline.numbers import NumberMention, find_number_mentions
from xentri.ai.offline.text import fold

_SYMBOLS_LONGEST_FIRST = sorted(SYMBOLS, key=len, reverse=True)
# Symbols that may follow the amount; "Q" and "S/" only ever come first.
_SUFFIX_SYMBOLS = sorted(
    {symbol for symbol in SYMBOLS if not symbol[0].isalpha() or symbol.endswith("$")} | {"$"},
    key=len,
    reverse=True,
)
_WORD_AFTER = re.compile(r"\s*(?:de\s+)?([^\W\d_]+)(?:\s+([^\W\d_]+))?", re.UNICODE)
_CODE_BEFORE = re.compile(r"\b([A-Z]{3})\s?\$?\s*$")
_CODE_AFTER = re.compile(r"\s?([A-Z]{3})\b")


@dataclass(frozen=True, slots=True)
class MoneyMention:
    money: Money
    start: int
    end: int
    number: NumberMention


def to_minor_units(amount: Decimal, currency: str) -> int:
    exponent = minor_units(currency)
    return int((amount * (Decimal(10) ** exponent)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_amount(money: Money) -> Decimal:
    return Decimal(money.minor_units).scaleb(-minor_units(money.currency))


def find_money(
    text: str,
    *,
    language: Language,
    default_currency: str | None = None,
    countries: Sequence[str] = (),
    numbers: Sequence[NumberMention] | None = None,
) -> list[MoneyMention]:
    """Every amount marked as money: by a currency, by a price verb, or by a price before it."""
    mentions = numbers if numbers is not None else find_number_mentions(text, language=language)
    marked: list[tuple[NumberMention, str, int, int]] = []
    for number in mentions:
        if number.ordinal or number.article:
            continue
        around = _currency_around(text, number)
        if around is not None:
            marked.append((number, *around))
    # A currency written out in the answer ("USD 18,000") says what its bare "$" means, before
    # the org's default, a place or the language does.
    named = Counter(marker for _, marker, _, _ in marked if marker in _DOLLAR_OR_PESO)
    context = _Context(
        named=named.most_common(1)[0][0] if named else None,
        default_currency=default_currency,
        countries=countries,
        language=language,
    )
    found: list[MoneyMention] = []
    for number, marker, start, end in marked:
        currency = context.resolve(marker)
        # "12 cents per word": hundredths of the answer's (or the context's) currency
        amount = number.value / 100 if marker == "CENTS" else number.value
        money = Money(minor_units=to_minor_units(amount, currency), currency=currency)
        found.append(MoneyMention(money=money, start=start, end=end, number=number))
    found.extend(_priced_by_verb(text, mentions, found, context))
    found.extend(_list_prices(text, mentions, found))
    found.sort(key=lambda mention: mention.start)
    return found


_SENTENCE_BREAK = re.compile(r"[.!?\n](?!\d)")
_AFTER_LIST_PRICE = re.compile(
    r"^(?:\s*(?:[,.;)]|$)|\s+(?:cada|each|c/u|apiece|per|por|a|al|la|el|y|and|o|or)\b)",
    re.IGNORECASE,
)
_BEFORE_LIST_PRICE = re.compile(r"(?:\b(?:de|of|than|que|del|about|over|más|more)\s*)$", re.I)


_PRICE_VERB = re.compile(
    r"\b(?:cuesta|cuestan|vale|valen|sale|salen|cobro|cobramos|cobra|cobran|cost|costs|"
    r"charge|charges|priced\s+at|precio\s+(?:es|de))\s+(?:a\s+|en\s+|de\s+|unos\s+|about\s+|"
    r"around\s+|only\s+|solo\s+)?$",
    re.IGNORECASE,
)
_NOT_A_PRICE_AFTER = re.compile(
    r"^\s*(?:%|percent|por\s+ciento|hours?|horas?|minut\w*|days?|d[ií]as?|years?|a[nñ]os?|"
    r"people|personas|kg|kilos?|km|m2|times|veces)\b",
    re.IGNORECASE,
)


def _priced_by_verb(
    text: str, numbers: Sequence[NumberMention], found: list[MoneyMention], context: _Context
) -> list[MoneyMention]:
    """ "El manicure cuesta 25 mil": after a price verb a bare number is money all the same."""
    priced: list[MoneyMention] = []
    taken = [(m.start, m.end) for m in found]
    for number in numbers:
        if number.ordinal or number.article or number.is_year:
            continue
        if any(start <= number.start < end for start, end in taken):
            continue
        if not _PRICE_VERB.search(text[max(0, number.start - 30) : number.start]):
            continue
        if _NOT_A_PRICE_AFTER.match(text[number.end :]):
            continue
        currency = context.resolve("DOLLAR")
        money = Money(minor_units=to_minor_units(number.value, currency), currency=currency)
        priced.append(MoneyMention(money=money, start=number.start, end=number.end, number=number))
    return priced


def _list_prices(
    text: str, numbers: Sequence[NumberMention], found: list[MoneyMention]
) -> list[MoneyMention]:
    """A bare number after a price in the same sentence is a price in that currency.

    "Los cortes están a 150 pesos y el corte con barba a 220": people name the currency once.
    """
    inherited: list[MoneyMention] = []
    taken = [(m.start, m.end) for m in found]
    for number in numbers:
        if number.ordinal or number.article or number.is_year:
            continue
        if any(start <= number.start < end for start, end in taken):
            continue
        earlier = [m for m in found if m.end <= number.start]
        if not earlier:
            continue
        anchor = earlier[-1]
        if _SENTENCE_BREAK.search(text, anchor.end, number.start):
            continue
        if not _AFTER_LIST_PRICE.match(text[number.end :]):
            continue
        if _BEFORE_LIST_PRICE.search(text[max(0, number.start - 12) : number.start]):
            continue
        currency = anchor.money.currency
        money = Money(minor_units=to_minor_units(number.value, currency), currency=currency)
        inherited.append(
            MoneyMention(money=money, start=number.start, end=number.end, number=number)
        )
    return inherited


def parse_money(
    text: str, *, language: Language = "en", default_currency: str | None = None
) -> Money | None:
    """The first amount of money in a short string such as "MXN 1,200.50" or "€30"."""
    found = find_money(text, language=language, default_currency=default_currency)
    return found[0].money if found else None


@dataclass(frozen=True, slots=True)
class _Context:
    named: str | None  # the dollar or peso currency the answer itself names
    default_currency: str | None
    countries: Sequence[str]
    language: Language

    def resolve(self, marker: str) -> str:
        """An ISO code as is; "DOLLAR" ("$") and "PESO" from what the context says."""
        if marker == "DOLLAR":
            return self.named or resolve_dollar_sign(
                default_currency=self.default_currency,
                countries=self.countries,
                language=self.language,
            )
        if marker == "CENTS":
            return self.resolve("DOLLAR")
        if marker == "PESO":
            if self.named in PESO_CURRENCIES:
                return self.named
            return resolve_peso(default_currency=self.default_currency, countries=self.countries)
        return marker


_DOLLAR_OR_PESO = PESO_CURRENCIES | DOLLAR_CURRENCIES


def _currency_around(text: str, number: NumberMention) -> tuple[str, int, int] | None:
    """The currency marked next to a number, with the span of number and marker.

    "DOLLAR" stands for a bare "$", "PESO" for pesos of no stated country.
    """
    before = text[max(0, number.start - 8) : number.start]
    start, end = number.start, number.end
    prefix_currency: str | None = None
    dollar_sign = False
    stripped = before.rstrip()
    for symbol in _SYMBOLS_LONGEST_FIRST:
        if (
            stripped.endswith(symbol)
            and _symbol_stands_alone(stripped, symbol)
            and not (symbol == "Q" and _is_quarter(text, number))
        ):
            prefix_currency = SYMBOLS[symbol]
            start = number.start - (len(before) - len(stripped)) - len(symbol)
            break
    if prefix_currency is None and stripped.endswith("$"):
        dollar_sign = True
        start = number.start - (len(before) - len(stripped)) - 1
        code = _CODE_BEFORE.search(stripped)
        if code and is_iso_code(code.group(1)):
            prefix_currency = code.group(1)
            start = number.start - len(before) + code.start()
    if prefix_currency is None and not dollar_sign:
        code = _CODE_BEFORE.search(before)
        if code and is_iso_code(code.group(1)):
            prefix_currency = code.group(1)
            start = number.start - len(before) + code.start()
    after = text[number.end :]
    suffix_currency, suffix_length = _currency_after(after, number)
    if suffix_currency is not None or suffix_length:
        end = number.end + suffix_length
    if suffix_currency == "DOLLAR":
        suffix_currency, dollar_sign = None, True
    if suffix_currency == "PESO" and dollar_sign:
        dollar_sign = False  # "$150 pesos"
    marker = prefix_currency or suffix_currency or ("DOLLAR" if dollar_sign else None)
    if marker is None:
        return None
    return marker, start, end


def _is_quarter(text: str, number: NumberMention) -> bool:
    """ "Q2 2027" and "Q3" name quarters, not quetzales."""
    raw = text[number.start : number.end]
    return (
        number.start > 0
        and text[number.start - 1] == "Q"
        and raw.isdigit()
        and 1 <= number.value <= 4
    )


def _symbol_stands_alone(before: str, symbol: str) -> bool:
    """A letter symbol ("Q", "S/") counts only when not the tail of a word ("IQ 5")."""
    preceding = before[: len(before) - len(symbol)]
    return not (symbol[0].isalpha() and preceding[-1:].isalpha())


def _currency_after(after: str, number: NumberMention) -> tuple[str | None, int]:
    """The currency named right after a number, and how many characters name it.

    Returns ("PESO", n) for a peso whose country is left to context.
    """
    stripped = after.lstrip()
    gap = len(after) - len(stripped)
    for symbol in _SUFFIX_SYMBOLS:
        if stripped.startswith(symbol):
            # "30 €", "1.200,50 US$" (es_ES writes the symbol after); a bare "$" is "DOLLAR".
            return SYMBOLS.get(symbol, "DOLLAR"), gap + len(symbol)
    code = _CODE_AFTER.match(after)
    if code and is_iso_code(code.group(1)):
        return code.group(1), code.end()
    words = _WORD_AFTER.match(after)
    first = fold(words.group(1)) if words else ""
    second = fold(words.group(2) or "") if words else ""
    currency: str | None = None
    length = 0
    if words and first in NATIONALITY and second in WORDS:
        # "20 Canadian dollars": the adjective comes first in English.
        currency, length = NATIONALITY[first], words.end()
    elif words and first in WORDS and not (first == "sol" and number.value != 1):
        # "sol" is the sun unless it is one sol; "pesos colombianos" names its country.
        if second in NATIONALITY:
            currency, length = NATIONALITY[second], words.end()
        else:
            currency, length = WORDS[first] or "PESO", words.end(1)
    return currency, length
