"""The subject of a data question, which the copilot maps to the tool that answers it."""

from __future__ import annotations

import pytest

from xentri.ai.offline import question_intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Who owes me money?", "who_owes"),
        ("¿Quién me debe dinero?", "who_owes"),
        ("¿Quiénes no me han pagado?", "who_owes"),
        ("Which invoices are overdue?", "overdue_invoices"),
        ("¿Qué facturas están vencidas?", "overdue_invoices"),
        ("What is still outstanding?", "outstanding"),
        ("How is revenue this month compared to last month?", "revenue_trend"),
        ("¿Cómo van las ventas respecto al mes pasado?", "revenue_trend"),
        ("Who are my top customers?", "top_customer"),
        ("¿Quiénes son mis mejores clientes?", "top_customer"),
        ("What was my revenue this month?", "revenue"),
        ("Any pricing suggestions?", "pricing"),
        ("Compare my prices with what I invoiced", "pricing"),
        ("¿Tienes sugerencias de precios?", "pricing"),
    ],
)
def test_data_questions_name_their_subject(question: str, intent: str) -> None:
    assert question_intent(question) == intent


@pytest.mark.parametrize(
    "question",
    [
        "Should I raise my prices?",  # advice, not data: the cloud model's
        "Write a reminder email to customers who owe me",  # writing
        "What is the weather like?",
        "",
    ],
)
def test_advice_writing_and_other_questions_have_no_data_subject(question: str) -> None:
    assert question_intent(question) is None
