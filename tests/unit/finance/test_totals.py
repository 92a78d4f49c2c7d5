"""Invoice totals: integer minor units, rounded once per line, the invoice the sum of its lines."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from xentri.categories.finance.totals import (
    MAX_LINES,
    MAX_QUANTITY,
    MAX_UNIT_PRICE_MINOR,
    Line,
    invoice_totals,
    line_totals,
)

quantities = st.decimals(
    min_value=Decimal("0.001"), max_value=MAX_QUANTITY, places=3, allow_nan=False
)
prices = st.integers(min_value=1, max_value=MAX_UNIT_PRICE_MINOR)
rates = st.one_of(
    st.none(),
    st.decimals(min_value=0, max_value=100, places=4, allow_nan=False),
    st.sampled_from([Decimal(16), Decimal(8), Decimal(0), Decimal("10.5")]),
)
discounts = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
lines = st.builds(
    Line, quantity=quantities, unit_price_minor=prices, tax_rate=rates, discount_percent=discounts
)


def test_a_typical_mexican_invoice():
    # Given two services with IVA 16 % and one exempt line
    entered = [
        Line(quantity=Decimal(3), unit_price_minor=15_000, tax_rate=Decimal(16)),
        Line(
            quantity=Decimal("1.5"),
            unit_price_minor=33_333,
            tax_rate=Decimal(16),
            discount_percent=Decimal(10),
        ),
        Line(quantity=Decimal(1), unit_price_minor=9_999, tax_rate=None),
    ]

    totals = invoice_totals(entered)

    # 1.5 x 333.33 = 499.995 -> 500.00; 10 % off -> 50.00; 450.00 x 16 % = 72.00
    assert [t.gross_minor for t in totals.lines] == [45_000, 50_000, 9_999]
    assert [t.discount_minor for t in totals.lines] == [0, 5_000, 0]
    assert [t.tax_minor for t in totals.lines] == [7_200, 7_200, 0]
    assert (totals.subtotal_minor, totals.discount_minor) == (104_999, 5_000)
    assert (totals.net_minor, totals.tax_minor, totals.total_minor) == (99_999, 14_400, 114_399)
    assert [(b.rate, b.base_minor, b.tax_minor) for b in totals.taxes] == [
        (Decimal(16), 90_000, 14_400),
        (None, 9_999, 0),
    ]


def test_half_a_minor_unit_rounds_up():
    assert line_totals(Line(quantity=Decimal("0.5"), unit_price_minor=1)).gross_minor == 1
    assert line_totals(Line(quantity=Decimal("0.499"), unit_price_minor=1)).gross_minor == 0
    # 0.05 of tax: 5 x 1 % = 0.05 -> 0; 50 x 1 % = 0.5 -> 1
    assert line_totals(Line(Decimal(1), 50, tax_rate=Decimal(1))).tax_minor == 1
    assert line_totals(Line(Decimal(1), 49, tax_rate=Decimal(1))).tax_minor == 0


def test_equal_rates_written_differently_share_a_bucket():
    totals = invoice_totals(
        [Line(Decimal(1), 100, tax_rate=Decimal(16)), Line(Decimal(1), 100, Decimal("16.00"))]
    )
    assert [(b.base_minor, b.tax_minor) for b in totals.taxes] == [(200, 32)]


def test_no_lines_is_zero():
    totals = invoice_totals([])
    assert (totals.total_minor, totals.taxes, totals.lines) == (0, (), ())


@given(lines)
def test_a_line_is_rounded_within_half_a_minor_unit(line):
    totals = line_totals(line)
    exact_gross = line.quantity * line.unit_price_minor
    assert abs(totals.gross_minor - exact_gross) <= Decimal("0.5")
    assert 0 <= totals.discount_minor <= totals.gross_minor
    assert totals.net_minor == totals.gross_minor - totals.discount_minor
    rate = line.tax_rate or Decimal(0)
    assert abs(totals.tax_minor - totals.net_minor * rate / 100) <= Decimal("0.5")
    assert totals.total_minor == totals.net_minor + totals.tax_minor
    assert all(isinstance(v, int) for v in vars(totals).values())


@given(st.lists(lines, max_size=MAX_LINES))
def test_the_invoice_is_exactly_the_sum_of_its_lines(entered):
    totals = invoice_totals(entered)
    assert totals.total_minor == sum(t.total_minor for t in totals.lines)
    assert totals.total_minor == totals.net_minor + totals.tax_minor
    assert totals.net_minor == totals.subtotal_minor - totals.discount_minor
    assert sum(b.tax_minor for b in totals.taxes) == totals.tax_minor
    assert sum(b.base_minor for b in totals.taxes) == totals.net_minor
    # Per-rate tax is within half a minor unit per line of the rate applied to the base.
    for bucket in totals.taxes:
        count = sum(
            1
            for line in entered
            if (line.tax_rate.normalize() if line.tax_rate is not None else None) == bucket.rate
        )
        exact = bucket.base_minor * (bucket.rate or 0) / 100
        assert abs(bucket.tax_minor - exact) <= Decimal("0.5") * count
    assert totals.total_minor < 2**63  # fits the bigint columns


@given(st.lists(lines, max_size=20), st.randoms())
def test_the_order_of_lines_does_not_change_the_totals(entered, rnd):
    shuffled = list(entered)
    rnd.shuffle(shuffled)
    a, b = invoice_totals(entered), invoice_totals(shuffled)
    assert (a.total_minor, a.tax_minor, a.taxes) == (b.total_minor, b.tax_minor, b.taxes)


@given(lines, st.integers(min_value=2, max_value=5))
def test_more_units_never_cost_less(line, factor):
    more = Line(
        quantity=line.quantity * factor,
        unit_price_minor=line.unit_price_minor,
        tax_rate=line.tax_rate,
        discount_percent=line.discount_percent,
    )
    assert line_totals(more).total_minor >= line_totals(line).total_minor
