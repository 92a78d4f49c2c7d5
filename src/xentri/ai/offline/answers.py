"""Answer questions whose answers are in the data passed in: counts, sums, overdue, trends.

Anything else (advice, opinions, new writing) gets a typed "needs a cloud model" result with a
plain explanation, never an invented answer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from xentri.ai.offline.answers_texts import TEXTS
from xentri.ai.offline.data import DataContext, InvoiceRecord
from xentri.ai.offline.facts import Language, Money
from xentri.ai.offline.formatting import format_money, format_number, join_list
from xentri.ai.offline.language import detect_language
from xentri.ai.offline.periods import Period, find_period, month_of
from xentri.ai.offline.text import fold


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DataAnswer(_Frozen):
    kind: Literal["answer"] = "answer"
    intent: str  # "overdue_invoices", "revenue", "revenue_trend"...
    text: str
    language: Language
    count: int | None = None
    totals: tuple[Money, ...] = ()  # one per currency, largest first
    items: tuple[str, ...] = ()
    change_percent: Decimal | None = None


class NeedsCloudModel(_Frozen):
    kind: Literal["needs_cloud_model"] = "needs_cloud_model"
    reason: Literal["open_ended", "creative", "not_in_data"]
    explanation: str
    language: Language


Answer = DataAnswer | NeedsCloudModel


def _cue(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?:{p})" for p in patterns))


# Matched against the folded question (lower case, no accents).
_CREATIVE = _cue(
    r"\b(?:write|draft|compose|poem|slogan|post|caption|email)\b",
    r"\b(?:escribe|escribeme|redacta|redactame|poema|publicacion|correo)\b",
)
_OPEN = _cue(
    r"\bwhy\b", r"\bshould\b", r"\bhow (?:can|do|could|should) (?:i|we)\b", r"\badvice\b",
    r"\bideas?\b", r"\brecommend", r"\bsuggest", r"\bwhat do you think\b", r"\bpor que\b",
    r"\bdeberia", r"\bcomo (?:puedo|podemos|hago|hacemos)\b", r"\bconsejo", r"\brecomienda",
    r"\bsugier", r"\bque (?:opinas|piensas|hago)\b",
)  # fmt: skip
_TREND = _cue(
    r"\b(?:compare|compared|vs|versus|trend|growing|up or down|than last)\b",
    r"\b(?:compara|comparado|comparacion|tendencia|creciendo|respecto|contra)\b",
)
_OVERDUE = _cue(
    r"\b(?:overdue|late|past due|owes? me)\b",
    r"\b(?:vencid\w*|atrasad\w*|retrasad\w*|morosos?|me debe)\b",
)
_OUTSTANDING = _cue(
    r"\b(?:unpaid|outstanding|owed|receivables?|pending)\b",
    r"\b(?:pendientes?|por cobrar|sin pagar|me deben)\b",
)
# Nouns name revenue on their own; verbs only in a "how much" question ("who made this?").
_REVENUE = _cue(
    r"\b(?:revenue|sales|income|ingresos?|ventas?|facturacion|ganancias?)\b",
    r"\b(?:how much|cuanto)\b.*\b(?:earn\w*|made|sold|collected|billed|vendi\w*|factur\w*|"
    r"cobr\w*|ganamos|gane)\b",
)
_TOP_CUSTOMER = _cue(
    r"\b(?:top|best|biggest|largest) (?:customer|client)s?\b",
    r"\bmejor(?:es)? client\w*\b",
    r"\bcliente que mas\b",
)
_HOW_MANY = _cue(r"\bhow many\b", r"\bnumber of\b", r"\bcuant[oa]s\b", r"\bnumero de\b")
_CUSTOMERS = _cue(r"\b(?:customers?|clients?|clientes?|clientas?)\b")
_INVOICES = _cue(r"\b(?:invoices?|facturas?)\b")
_STATUS_WORDS = {
    "paid": ("paid", "pagad"), "sent": ("sent", "enviad"), "draft": ("draft", "borrador"),
    "void": ("void", "anulad", "cancelad"),
}  # fmt: skip


def answer_question(
    question: str,
    data: DataContext,
    *,
    today: dt.date,
    language: Language | None = None,
    locale: str | None = None,
) -> Answer:
    lang = detect_language(question, hint=language)
    folded = fold(question)
    text = TEXTS[lang]
    if _CREATIVE.search(folded):
        return NeedsCloudModel(reason="creative", explanation=text["creative"], language=lang)
    if _OPEN.search(folded):
        return NeedsCloudModel(reason="open_ended", explanation=text["open_ended"], language=lang)
    period = find_period(folded, today=today)
    context = _Context(data=data, today=today, language=lang, locale=locale, period=period)
    for route in _ROUTES:
        answer = route(context, folded)
        if answer is not None:
            return answer
    return NeedsCloudModel(reason="not_in_data", explanation=text["not_in_data"], language=lang)


def _trend(context: _Context, folded: str) -> DataAnswer | None:
    if _TREND.search(folded) and _REVENUE.search(folded):
        return context.revenue_trend()
    return None


def _overdue(context: _Context, folded: str) -> DataAnswer | None:
    return context.overdue() if _OVERDUE.search(folded) else None


def _outstanding(context: _Context, folded: str) -> DataAnswer | None:
    return context.outstanding() if _OUTSTANDING.search(folded) else None


def _top_customer(context: _Context, folded: str) -> DataAnswer | None:
    return context.top_customer() if _TOP_CUSTOMER.search(folded) else None


def _count(context: _Context, folded: str) -> DataAnswer | None:
    if not _HOW_MANY.search(folded):
        return None
    if _CUSTOMERS.search(folded):
        return context.count_customers()
    if _INVOICES.search(folded):
        status = next(
            (s for s, stems in _STATUS_WORDS.items() if any(stem in folded for stem in stems)), None
        )
        return context.count_invoices(status)
    event_type = _event_type_named(folded, context.data)
    return context.count_events(event_type) if event_type is not None else None


def _revenue(context: _Context, folded: str) -> DataAnswer | None:
    return context.revenue() if _REVENUE.search(folded) else None


# Most specific first: "overdue" before "unpaid", a trend before a plain revenue figure.
_ROUTES: tuple[Callable[[_Context, str], DataAnswer | None], ...] = (
    _trend, _overdue, _outstanding, _top_customer, _count, _revenue,
)  # fmt: skip


def _event_type_named(folded: str, data: DataContext) -> str | None:
    words = set(re.findall(r"\w+", folded))
    for event_type in sorted({e.type for e in data.events}):
        for part in re.split(r"[._\s-]+", fold(event_type)):
            if len(part) > 2 and ({part, part + "s", part + "es"} & words):
                return event_type
    return None


def totals_by_currency(amounts: Iterable[Money]) -> tuple[Money, ...]:
    sums: dict[str, int] = defaultdict(int)
    for money in amounts:
        sums[money.currency] += money.minor_units
    ordered = sorted(sums.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Money(minor_units=units, currency=currency) for currency, units in ordered)


class _Context:
    def __init__(
        self,
        *,
        data: DataContext,
        today: dt.date,
        language: Language,
        locale: str | None,
        period: Period | None,
    ) -> None:
        self.data, self.today, self.language, self.locale = data, today, language, locale
        self.period = period
        self.text = TEXTS[language]

    def money(self, totals: tuple[Money, ...]) -> str:
        if not totals:
            return format_money(
                Money(minor_units=0, currency=self._currency()),
                language=self.language,
                locale=self.locale,
            )
        rendered = [format_money(t, language=self.language, locale=self.locale) for t in totals]
        return join_list(rendered, language=self.language)

    def _currency(self) -> str:
        return self.data.invoices[0].amount.currency if self.data.invoices else "USD"

    def number(self, value: int | Decimal) -> str:
        return format_number(value, language=self.language, locale=self.locale)

    def overdue(self) -> DataAnswer:
        late = sorted(
            (i for i in self.data.invoices if i.is_overdue(self.today)),
            key=lambda i: (i.due_on, i.number),
        )
        totals = totals_by_currency(i.amount for i in late)
        items = tuple(self._invoice_line(i) for i in late)
        if not late:
            return self._answer("overdue_invoices", self.text["overdue_none"], count=0)
        text = self.text["overdue"].format(count=self.number(len(late)), total=self.money(totals))
        return self._answer(
            "overdue_invoices",
            text + "\n" + "\n".join(f"- {line}" for line in items),
            count=len(late),
            totals=totals,
            items=items,
        )

    def _invoice_line(self, invoice: InvoiceRecord) -> str:
        days = (self.today - invoice.due_on).days
        amount = format_money(invoice.amount, language=self.language, locale=self.locale)
        return self.text["invoice_line"].format(
            number=invoice.number, customer=invoice.customer, amount=amount, days=self.number(days)
        )

    def outstanding(self) -> DataAnswer:
        unpaid = [i for i in self.data.invoices if i.status == "sent"]
        totals = totals_by_currency(i.amount for i in unpaid)
        text = self.text["outstanding"].format(
            count=self.number(len(unpaid)), total=self.money(totals)
        )
        return self._answer("outstanding", text, count=len(unpaid), totals=totals)

    def _paid_in(self, period: Period) -> list[InvoiceRecord]:
        return [
            i
            for i in self.data.invoices
            if i.status == "paid" and i.paid_on is not None and period.contains(i.paid_on)
        ]

    def revenue(self) -> DataAnswer:
        period = self.period or month_of(self.today, today=self.today)
        paid = self._paid_in(period)
        totals = totals_by_currency(i.amount for i in paid)
        text = self.text["revenue"].format(
            period=period.label(self.language),
            total=self.money(totals),
            count=self.number(len(paid)),
        )
        return self._answer("revenue", text, count=len(paid), totals=totals)

    def revenue_trend(self) -> DataAnswer:
        this_month = month_of(self.today, today=self.today)
        last_month = month_of(this_month.start - dt.timedelta(days=1), today=self.today)
        now = totals_by_currency(i.amount for i in self._paid_in(this_month))
        before = totals_by_currency(i.amount for i in self._paid_in(last_month))
        currency = (now or before or (Money(minor_units=0, currency=self._currency()),))[0].currency
        now_units = sum(m.minor_units for m in now if m.currency == currency)
        before_units = sum(m.minor_units for m in before if m.currency == currency)
        change = None
        if before_units:
            change = (Decimal(now_units - before_units) * 100 / before_units).quantize(
                Decimal("0.1")
            )
        key = "trend_none" if change is None else ("trend_up" if change >= 0 else "trend_down")
        text = self.text[key].format(
            now=self.money((Money(minor_units=now_units, currency=currency),)),
            before=self.money((Money(minor_units=before_units, currency=currency),)),
            change=self.number(abs(change)) if change is not None else "",
        )
        return self._answer("revenue_trend", text, totals=now, change_percent=change)

    def top_customer(self) -> DataAnswer:
        period = self.period
        by_customer: dict[tuple[str, str], int] = defaultdict(int)
        for invoice in self.data.invoices:
            if invoice.status == "paid" and (
                period is None or (invoice.paid_on is not None and period.contains(invoice.paid_on))
            ):
                by_customer[(invoice.customer, invoice.amount.currency)] += (
                    invoice.amount.minor_units
                )
        if not by_customer:
            return self._answer("top_customer", self.text["top_customer_none"], count=0)
        (customer, currency), units = max(by_customer.items(), key=lambda kv: (kv[1], kv[0]))
        total = Money(minor_units=units, currency=currency)
        text = self.text["top_customer"].format(customer=customer, total=self.money((total,)))
        return self._answer("top_customer", text, totals=(total,), items=(customer,))

    def count_customers(self) -> DataAnswer:
        period = self.period
        customers = [
            c for c in self.data.customers if period is None or period.contains(c.created_on)
        ]
        key = "customers_period" if period else "customers_total"
        text = self.text[key].format(
            count=self.number(len(customers)), period=period.label(self.language) if period else ""
        )
        return self._answer("customer_count", text, count=len(customers))

    def count_invoices(self, status: str | None) -> DataAnswer:
        period = self.period
        invoices = [
            i
            for i in self.data.invoices
            if (status is None or i.status == status)
            and (period is None or period.contains(i.issued_on))
        ]
        status_label = self.text[f"status_{status}"] if status else ""
        text = self.text["invoices_count"].format(
            count=self.number(len(invoices)),
            status=status_label,
            period=period.label(self.language) if period else "",
        )
        return self._answer(
            "invoice_count",
            " ".join(text.split()),
            count=len(invoices),
            totals=totals_by_currency(i.amount for i in invoices),
        )

    def count_events(self, event_type: str) -> DataAnswer:
        period = self.period
        events = [
            e
            for e in self.data.events
            if e.type == event_type and (period is None or period.contains(e.occurred_at.date()))
        ]
        text = self.text["events_count"].format(
            count=self.number(len(events)),
            type=event_type,
            period=period.label(self.language) if period else "",
        )
        return self._answer("event_count", " ".join(text.split()), count=len(events))

    def _answer(
        self,
        intent: str,
        text: str,
        *,
        count: int | None = None,
        totals: tuple[Money, ...] = (),
        items: tuple[str, ...] = (),
        change_percent: Decimal | None = None,
    ) -> DataAnswer:
        return DataAnswer(
            intent=intent,
            text=text,
            language=self.language,
            count=count,
            totals=totals,
            items=items,
            change_percent=change_percent,
        )
