"""ISO 4217 currencies the engine knows, their minor units, and how people name them."""

from __future__ import annotations

from collections.abc import Iterable

from babel.numbers import UnknownCurrencyError, get_currency_precision

from xentri.ai.offline.facts import Language

# ISO 4217 minor units, stated here rather than looked up: the engine's arithmetic depends on
# them, and CLDR's "cash" digits (COP and CLP coins) are not what an invoice uses.
MINOR_UNITS: dict[str, int] = {
    "USD": 2, "EUR": 2, "GBP": 2, "CAD": 2, "MXN": 2, "COP": 2, "ARS": 2, "CLP": 0,
    "PEN": 2, "GTQ": 2, "BOB": 2, "UYU": 2, "PYG": 0, "DOP": 2, "CRC": 2, "HNL": 2,
    "NIO": 2, "BRL": 2, "VES": 2, "JPY": 0,
}  # fmt: skip

PESO_CURRENCIES = frozenset({"MXN", "COP", "ARS", "CLP", "UYU", "DOP"})
DOLLAR_CURRENCIES = frozenset({"USD", "CAD"})

# Which currency a country's "$" and "pesos" mean.
COUNTRY_CURRENCY: dict[str, str] = {
    "MX": "MXN", "US": "USD", "CO": "COP", "AR": "ARS", "CL": "CLP", "PE": "PEN", "GT": "GTQ",
    "ES": "EUR", "GB": "GBP", "CA": "CAD", "BO": "BOB", "UY": "UYU", "PY": "PYG", "DO": "DOP",
    "CR": "CRC", "HN": "HNL", "NI": "NIO", "BR": "BRL", "VE": "VES", "EC": "USD", "SV": "USD",
    "PA": "USD", "PR": "USD", "FR": "EUR", "DE": "EUR", "IT": "EUR", "PT": "EUR",
}  # fmt: skip

# Unambiguous symbols; "$" alone is resolved from context (see resolve_dollar_sign).
SYMBOLS: dict[str, str] = {
    "US$": "USD", "USD$": "USD", "U$S": "USD", "MX$": "MXN", "MXN$": "MXN", "COP$": "COP",
    "CA$": "CAD", "C$": "CAD", "AR$": "ARS", "CLP$": "CLP", "S/": "PEN", "S/.": "PEN",
    "€": "EUR", "£": "GBP", "Q": "GTQ", "R$": "BRL",
}  # fmt: skip

# Folded currency words; a value of None means "a peso, which one depends on context".
WORDS: dict[str, str | None] = {
    "dollar": "USD", "dollars": "USD", "bucks": "USD", "dolar": "USD", "dolares": "USD",
    "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP", "libras": "GBP",
    "peso": None, "pesos": None, "quetzal": "GTQ", "quetzales": "GTQ", "sol": "PEN",
    "soles": "PEN", "lucas": "CLP", "luca": "CLP", "reales": "BRL", "colones": "CRC",
    "lempiras": "HNL", "bolivianos": "BOB", "guaranies": "PYG", "cents": "CENTS",
    "cent": "CENTS", "centavos": "CENTS", "centimos": "CENTS",
}  # fmt: skip

# Adjectives that pin down a peso or a dollar: "pesos colombianos", "Canadian dollars".
NATIONALITY: dict[str, str] = {
    "mexicanos": "MXN", "mexicano": "MXN", "mexican": "MXN", "colombianos": "COP",
    "colombiano": "COP", "colombian": "COP", "argentinos": "ARS", "argentino": "ARS",
    "argentine": "ARS", "chilenos": "CLP", "chileno": "CLP", "chilean": "CLP",
    "uruguayos": "UYU", "dominicanos": "DOP", "canadian": "CAD", "canadienses": "CAD",
    "americanos": "USD", "estadounidenses": "USD", "us": "USD", "american": "USD",
}  # fmt: skip

LANGUAGE_DEFAULT_CURRENCY: dict[Language, str] = {"en": "USD", "es": "MXN"}


def minor_units(currency: str) -> int:
    if currency in MINOR_UNITS:
        return MINOR_UNITS[currency]
    try:
        return int(get_currency_precision(currency))
    except UnknownCurrencyError:
        return 2


def is_iso_code(word: str) -> bool:
    return word in MINOR_UNITS


def resolve_dollar_sign(
    *, default_currency: str | None, countries: Iterable[str], language: Language
) -> str:
    """Decide what a bare "$" means: the org's currency, the place mentioned, the language."""
    if default_currency is not None and (
        default_currency in PESO_CURRENCIES or default_currency in DOLLAR_CURRENCIES
    ):
        return default_currency
    for country in countries:
        currency = COUNTRY_CURRENCY.get(country)
        if currency in PESO_CURRENCIES or currency in DOLLAR_CURRENCIES:
            return currency
    return LANGUAGE_DEFAULT_CURRENCY[language]


def resolve_peso(*, default_currency: str | None, countries: Iterable[str]) -> str:
    if default_currency is not None and default_currency in PESO_CURRENCIES:
        return default_currency
    for country in countries:
        currency = COUNTRY_CURRENCY.get(country)
        if currency in PESO_CURRENCIES:
            return currency
    return "MXN"
