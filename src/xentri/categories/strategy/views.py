"""Strategy's pages in the shell: the interview, the Brief, what to start with
(the co-pilot's recommendations), goals and the decision log."""

from __future__ import annotations

from xentri.categories.strategy import (
    views_brief,
    views_decisions,
    views_goals,
    views_interview,
    views_recommendations,
)

routers = (
    views_interview.router,
    views_brief.router,
    views_recommendations.router,
    views_goals.router,
    views_decisions.router,
)
