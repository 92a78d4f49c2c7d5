"""Strategy's pages in the shell: the interview, the Brief, goals and the decision log."""

from __future__ import annotations

from xentri.categories.strategy import (
    views_brief,
    views_decisions,
    views_goals,
    views_interview,
)

routers = (
    views_interview.router,
    views_brief.router,
    views_goals.router,
    views_decisions.router,
)
