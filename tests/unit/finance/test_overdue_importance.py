"""How important an overdue invoice is: its amount against the org's typical invoice, and its
age (1 is the most important)."""

from __future__ import annotations

import pytest

from xentri.categories.finance.pulse_producers import (
    age_points,
    amount_points,
    overdue_importance,
)


@pytest.mark.parametrize(
    ("amount", "typical", "points"),
    [
        (499, 1_000, 0),  # under half the typical invoice
        (500, 1_000, 1),  # half of it
        (1_000, 1_000, 1),
        (1_999, 1_000, 1),
        (2_000, 1_000, 2),  # twice
        (4_999, 1_000, 2),
        (5_000, 1_000, 3),  # five times
        (1_000_000, 1_000, 3),
        (1_000, 0, 1),  # no history of non-zero invoices: its own typical one
        (0, 0, 0),
    ],
)
def test_amount_points_follow_the_ratio_to_the_typical_invoice(amount, typical, points):
    assert amount_points(amount_due_minor=amount, typical_minor=typical) == points


@pytest.mark.parametrize(
    ("days", "points"), [(1, 0), (14, 0), (15, 1), (44, 1), (45, 2), (89, 2), (90, 3), (400, 3)]
)
def test_age_points_follow_the_days_past_due(days, points):
    assert age_points(days) == points


@pytest.mark.parametrize(
    ("amount", "typical", "days", "importance"),
    [
        (1_000, 1_000, 1, 4),  # a typical invoice, just late
        (100, 1_000, 1, 5),  # a small one, just late
        (2_500, 1_000, 1, 3),  # large: the Finance Pulse keeps it
        (1_000, 1_000, 45, 2),  # typical but a month and a half late
        (6_000, 1_000, 1, 2),
        (6_000, 1_000, 100, 1),  # never below 1
        (100, 1_000, 100, 2),  # small but very old
    ],
)
def test_importance_adds_amount_and_age(amount, typical, days, importance):
    assert (
        overdue_importance(amount_due_minor=amount, typical_minor=typical, days_overdue=days)
        == importance
    )
