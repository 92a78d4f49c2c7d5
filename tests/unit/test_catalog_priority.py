"""The roadmap's priority score: votes*1 + paying-org votes*5 + churn-risk votes*10."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xentri.catalog.domain import VoteTally, accepts_votes, priority_score


@st.composite
def tallies(draw) -> VoteTally:
    votes = draw(st.integers(min_value=0, max_value=10_000))
    return VoteTally(
        votes=votes,
        paying_votes=draw(st.integers(min_value=0, max_value=votes)),
        churn_risk_votes=draw(st.integers(min_value=0, max_value=votes)),
    )


def test_the_formula_on_known_values():
    assert priority_score(votes=0, paying_votes=0, churn_risk_votes=0) == 0
    assert priority_score(votes=3, paying_votes=0, churn_risk_votes=0) == 3
    assert priority_score(votes=3, paying_votes=2, churn_risk_votes=0) == 13
    assert priority_score(votes=3, paying_votes=2, churn_risk_votes=1) == 23
    # One vote from an org both paying and at risk: 1 + 5 + 10.
    assert VoteTally(votes=1, paying_votes=1, churn_risk_votes=1).priority_score == 16


@given(tallies())
def test_the_score_is_never_below_the_vote_count(tally):
    assert tally.votes <= tally.priority_score <= 16 * tally.votes


@given(tallies(), st.sampled_from(["plain", "paying", "churn"]))
def test_one_more_vote_adds_its_weight(tally, kind):
    more = VoteTally(
        votes=tally.votes + 1,
        paying_votes=tally.paying_votes + (kind == "paying"),
        churn_risk_votes=tally.churn_risk_votes + (kind == "churn"),
    )

    assert (
        more.priority_score - tally.priority_score == {"plain": 1, "paying": 6, "churn": 11}[kind]
    )


def test_flagged_votes_cannot_exceed_all_votes():
    with pytest.raises(ValueError, match="subset"):
        VoteTally(votes=1, paying_votes=2)
    with pytest.raises(ValueError, match="negative"):
        VoteTally(votes=-1)


@pytest.mark.parametrize(
    ("status", "votable"),
    [
        ("planned", True),
        ("coming_soon", True),
        ("in_development", True),
        ("beta", True),
        ("active", False),
    ],
)
def test_every_status_but_active_accepts_votes(status, votable):
    assert accepts_votes(status) is votable
