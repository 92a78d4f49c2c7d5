"""Key-result and objective progress."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from xentri.categories.strategy.okr import key_result_progress, objective_progress

D = Decimal


def test_halfway_up_and_halfway_down():
    assert key_result_progress(start=D(0), target=D(50), current=D(25)) == D("0.5")
    # Cutting costs from 1000 to 600: at 800 it is halfway.
    assert key_result_progress(start=D(1000), target=D(600), current=D(800)) == D("0.5")


def test_progress_is_clamped():
    assert key_result_progress(start=D(0), target=D(10), current=D(-5)) == 0
    assert key_result_progress(start=D(0), target=D(10), current=D(15)) == 1


def test_a_target_equal_to_the_start_is_done_only_when_reached():
    assert key_result_progress(start=D(5), target=D(5), current=D(5)) == 1
    assert key_result_progress(start=D(5), target=D(5), current=D(4)) == 0


def test_an_objective_is_the_mean_of_its_key_results():
    assert objective_progress([D("0.5"), D(1), D(0)]) == D("0.5")
    assert objective_progress([]) == 0


values = st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, places=2)


@given(start=values, target=values, current=values)
def test_progress_stays_between_zero_and_one(start, target, current):
    assert 0 <= key_result_progress(start=start, target=target, current=current) <= 1
