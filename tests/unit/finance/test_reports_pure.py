"""The reports' pure parts: aging buckets, month spans, and the SVG charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xentri.categories.finance.reports_charts import bar_chart, column_chart
from xentri.categories.finance.reports_receivables import BUCKETS, aging_bucket
from xentri.categories.finance.reports_revenue import month_end, month_span

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("days_late", "bucket"),
    [
        (-400, "current"),
        (0, "current"),
        (1, "days_1_30"),
        (30, "days_1_30"),
        (31, "days_31_60"),
        (60, "days_31_60"),
        (61, "days_61_90"),
        (90, "days_61_90"),
        (91, "days_over_90"),
        (5000, "days_over_90"),
    ],
)
def test_a_balance_falls_in_the_bucket_of_its_days_late(days_late, bucket):
    assert aging_bucket(days_late) == bucket


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_every_day_late_has_exactly_one_bucket(days_late):
    assert aging_bucket(days_late) in BUCKETS


def test_month_spans_cross_years_and_end_on_the_last_day():
    assert month_span(date(2026, 11, 20), date(2027, 2, 1)) == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]
    assert month_span(date(2026, 5, 1), date(2026, 4, 1)) == []
    assert [month_end(date(2026, m, 1)) for m in (2, 12)] == [date(2026, 2, 28), date(2026, 12, 31)]
    assert month_end(date(2028, 2, 1)) == date(2028, 2, 29)


def _rects(svg: str) -> list[dict[str, str]]:
    return [r.attrib for r in ET.fromstring(svg).iter(f"{SVG}rect")]


def test_columns_are_proportional_to_their_values():
    svg = column_chart(
        title="Ingresos por mes",
        labels=["sep", "oct", "nov"],
        values=[0, 50, 100],
        value_text=lambda v: f"${v}",
        width=300,
        height=244,
    )

    rects = _rects(svg)
    root = ET.fromstring(svg)
    assert [int(r["height"]) for r in rects] == [0, 100, 200]
    assert [float(r["y"]) for r in rects] == [220, 120, 20]
    assert root.attrib["role"] == "img"
    assert root.find(f"{SVG}title").text == "Ingresos por mes"
    assert [t.text for t in root.iter(f"{SVG}text")] == ["$0", "sep", "$50", "oct", "$100", "nov"]


def test_bars_escape_what_they_are_given_and_an_empty_chart_is_valid():
    svg = bar_chart(
        title="<script>alert(1)</script>",
        labels=['Luz & "agua"', "Renta"],
        values=[25, 100],
        value_text=str,
        width=1000,
    )
    empty = column_chart(title="Nada", labels=[], values=[], value_text=str)

    assert "<script>" not in svg
    assert [int(r["width"]) for r in _rects(svg)] == [125, 500]
    assert next(t.text for t in ET.fromstring(svg).iter(f"{SVG}text")) == 'Luz & "agua"'
    assert _rects(empty) == []
    assert ET.fromstring(empty).find(f"{SVG}title").text == "Nada"


def test_all_zero_values_draw_flat_bars():
    assert [
        r["height"]
        for r in _rects(column_chart(title="t", labels=["a", "b"], values=[0, 0], value_text=str))
    ] == ["0", "0"]


@pytest.mark.parametrize(("labels", "values"), [(["a"], [1, 2]), (["a"], [-1])])
def test_a_chart_refuses_mismatched_or_negative_data(labels, values):
    with pytest.raises(ValueError, match="chart"):
        bar_chart(title="t", labels=labels, values=values, value_text=str)


def _zero_line(svg: str) -> float:
    line = next(ET.fromstring(svg).iter(f"{SVG}line"))
    assert line.attrib["y1"] == line.attrib["y2"]
    return float(line.attrib["y1"])


def test_a_loss_hangs_below_the_zero_line_and_is_not_drawn_as_zero():
    """Profit and loss: revenue 100, expenses 150, a loss of 50 (it used to be drawn as 0)."""

    def chart(profit: int) -> str:
        return column_chart(
            title="P&L",
            labels=["Revenue", "Expenses", "Loss"],
            values=[100, 150, profit],
            value_text=lambda v: f"${v}",
            width=300,
            height=262,  # a 200 px plot: 20 above, 42 below for the loss's value and the labels
        )

    loss, nothing = chart(-50), chart(0)
    zero = _zero_line(loss)
    revenue, expenses, lost = _rects(loss)

    assert loss != nothing
    assert float(lost["y"]) == zero  # starts at the zero line and goes down
    assert int(lost["height"]) > 0
    assert int(lost["height"]) * 3 == int(expenses["height"])  # 50 against 150
    assert lost["fill-opacity"] == "0.5"  # paler than the figures above the line
    assert float(revenue["y"]) + int(revenue["height"]) == zero  # the others stand on it
    assert float(expenses["y"]) + int(expenses["height"]) == zero
    texts = {t.text: float(t.attrib["y"]) for t in ET.fromstring(loss).iter(f"{SVG}text")}
    assert texts["$-50"] > zero + int(lost["height"])  # its value is written under it
    assert texts["Loss"] > texts["$-50"]  # and the label stays under everything
    assert list(ET.fromstring(nothing).iter(f"{SVG}line")) == []  # no loss, no zero line


def test_all_negative_columns_hang_from_a_zero_line_at_the_top():
    svg = column_chart(title="t", labels=["a", "b"], values=[-10, -20], value_text=str, height=100)

    zero = _zero_line(svg)
    assert zero == 20  # the top margin: nothing stands above zero
    assert [float(r["y"]) for r in _rects(svg)] == [zero, zero]
    assert int(_rects(svg)[1]["height"]) == 2 * int(_rects(svg)[0]["height"])
