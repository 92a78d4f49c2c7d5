"""Module statuses and the vote weighting: pure rules, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

ModuleStatus = Literal["planned", "coming_soon", "in_development", "beta", "active"]
# In the order a module moves through them; the roadmap lists groups in this order.
STATUSES: tuple[ModuleStatus, ...] = get_args(ModuleStatus)

# Where a module's current status came from: the catalogue file, or an admin's decision that
# the sync must not undo (DESIGN: the file is reviewed like code, the admin acts in between).
StatusSource = Literal["catalogue", "admin"]

CATEGORY_IDS = ("strategy", "finance", "brand", "sales", "operations", "team", "legal")
SUBCATEGORIES_PER_CATEGORY = 5

VOTE_WEIGHT = 1
PAYING_ORG_WEIGHT = 5
CHURN_RISK_WEIGHT = 10


@dataclass(frozen=True)
class VoteTally:
    """Votes for one module across every org, and how many came from flagged orgs."""

    votes: int = 0
    paying_votes: int = 0
    churn_risk_votes: int = 0

    def __post_init__(self) -> None:
        if min(self.votes, self.paying_votes, self.churn_risk_votes) < 0:
            raise ValueError("vote counts cannot be negative")
        if max(self.paying_votes, self.churn_risk_votes) > self.votes:
            raise ValueError("flagged votes are a subset of all votes")

    @property
    def priority_score(self) -> int:
        return priority_score(
            votes=self.votes,
            paying_votes=self.paying_votes,
            churn_risk_votes=self.churn_risk_votes,
        )


def priority_score(*, votes: int, paying_votes: int, churn_risk_votes: int) -> int:
    """votes*1 + paying-org votes*5 + churn-risk votes*10 (seed §11, internal prioritisation).

    A vote from an org that is both paying and at risk counts in all three terms.
    """
    return (
        votes * VOTE_WEIGHT
        + paying_votes * PAYING_ORG_WEIGHT
        + churn_risk_votes * CHURN_RISK_WEIGHT
    )


def accepts_votes(status: ModuleStatus) -> bool:
    """Anything not yet shipped can be voted for; an active module is simply there to use."""
    return status != "active"
