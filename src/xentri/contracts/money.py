"""ISO 4217 currencies and their minor units: money is an integer count of minor units of an
ISO currency everywhere (DESIGN §4), so every part that stores or writes money shares this table
(Finance's amounts, the shell's money filter, the invoice documents)."""

from __future__ import annotations

# Active ISO 4217 codes a business invoices in (funds codes such as MXV or CLF and the metals
# are left out: nobody bills in them). Stated here rather than read from CLDR, whose list
# keeps withdrawn currencies and whose digits differ from ISO's for a few (IQD, LAK...).
_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""
CURRENCIES = frozenset(_CODES.split())

# ISO 4217 exponents other than 2.
_EXPONENTS = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
}


class UnknownCurrencyError(ValueError):
    """Not an active ISO 4217 currency code."""


def is_currency(code: str) -> bool:
    return code in CURRENCIES


def exponent(currency: str) -> int:
    """How many decimals the currency's minor unit has: JPY 0, USD 2, KWD 3."""
    if currency not in CURRENCIES:
        raise UnknownCurrencyError(f"{currency!r} is not an ISO 4217 currency code")
    return _EXPONENTS.get(currency, 2)
