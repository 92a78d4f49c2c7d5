"""Money as Finance handles it: integer minor units of an ISO 4217 currency (the table is the
shared contract's, `xentri.contracts.money`), read from what people type and written back."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from xentri.contracts.money import CURRENCIES, UnknownCurrencyError, exponent, is_currency

__all__ = [
    "CURRENCIES",
    "UnknownCurrencyError",
    "exponent",
    "is_currency",
    "to_major",
    "to_minor",
]


def to_minor(amount: str | Decimal, currency: str) -> int:
    """A written amount ("1250.50") as minor units; refuses more decimals than the currency has
    (ValueError) rather than rounding money the user typed."""
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not value.is_finite():
        raise ValueError("not a number")
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{currency} has {exponent(currency)} decimals")
    return int(scaled)


def to_major(minor: int, currency: str) -> Decimal:
    """Minor units as the exact decimal amount (for display and CSV, never for arithmetic)."""
    return Decimal(minor).scaleb(-exponent(currency))
