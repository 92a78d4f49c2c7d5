"""Budgets: what the owner can spend ("a marketing budget of $500 a month")."""

from __future__ import annotations

import re

from xentri.ai.offline.analysis import Analysis, span
from xentri.ai.offline.extract_goals import period_after
from xentri.ai.offline.facts import BudgetFact
from xentri.ai.offline.money import MoneyMention

_BUDGET_CUE = re.compile(
    r"\b(?:budget|presupuesto|invest|invertir|spend|gastar|destinar|set\s+aside|apartar)\b"
    r"[^.;!?\n]{0,40}\Z",
    re.IGNORECASE,
)
_MARKETING = re.compile(
    r"\b(?:marketing|advertising|ads|publicidad|anuncios|redes\s+sociales|social\s+media)\b",
    re.IGNORECASE,
)


def extract_budgets(
    analysis: Analysis, *, expecting: bool = False
) -> tuple[list[BudgetFact], list[MoneyMention]]:
    """The budgets, and the money mentions that are not budgets (left for offerings and goals)."""
    text = analysis.text
    budgets: list[BudgetFact] = []
    rest: list[MoneyMention] = []
    for money in analysis.money:
        clause_start = max(0, money.start - 60)
        cue = _BUDGET_CUE.search(text, clause_start, money.start)
        if cue is None and not expecting:
            rest.append(money)
            continue
        per, period_end = period_after(text, money.end)
        end = period_end or money.end
        budgets.append(
            BudgetFact(
                money=money.money,
                per=per,
                purpose="marketing" if _MARKETING.search(text, clause_start, end) else None,
                span=span(money.start, end),
                text=text[money.start : end],
                confidence=0.8,
            )
        )
    return budgets, rest
