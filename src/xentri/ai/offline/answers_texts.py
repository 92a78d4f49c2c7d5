"""The data answers' sentences in English and Spanish."""

from __future__ import annotations

from xentri.ai.offline.facts import Language

TEXTS: dict[Language, dict[str, str]] = {
    "en": {
        "creative": (
            "Writing new text for this needs a cloud AI model. Without one I can only fill "
            "the templates from your Brief (tagline, about us, mission). An administrator can "
            "connect a model in Settings."
        ),
        "open_ended": (
            "That question asks for advice or judgement, which needs a cloud AI model. Without "
            "one I answer only what your data shows: counts, totals, overdue invoices and "
            "trends. An administrator can connect a model in Settings."
        ),
        "not_in_data": (
            "I can't find the answer in your data, and without a cloud AI model I won't guess. "
            "I can tell you about invoices (overdue, unpaid, revenue and its trend), customers "
            "and recorded events."
        ),
        "overdue_none": "No invoice is overdue.",
        "overdue": "{count} overdue invoice(s), {total} in all:",
        "invoice_line": "{number}, {customer}: {amount}, {days} day(s) late",
        "outstanding": "{count} unpaid invoice(s), {total} to collect.",
        "revenue": "Revenue {period}: {total} from {count} paid invoice(s).",
        "trend_up": "Revenue this month is {now}, up {change}% from {before} last month.",
        "trend_down": "Revenue this month is {now}, down {change}% from {before} last month.",
        "trend_none": "Revenue this month is {now}; there was none last month to compare with.",
        "top_customer": "Your top customer is {customer}, with {total} paid.",
        "top_customer_none": "There are no paid invoices yet, so no top customer.",
        "customers_total": "You have {count} customer(s).",
        "customers_period": "{count} new customer(s) {period}.",
        "invoices_count": "{count} {status} invoice(s) {period}.",
        "events_count": "{count} “{type}” event(s) {period}.",
        "status_paid": "paid",
        "status_sent": "sent",
        "status_draft": "draft",
        "status_void": "void",
    },
    "es": {
        "creative": (
            "Para escribir un texto nuevo hace falta un modelo de IA en la nube. Sin él solo "
            "puedo llenar las plantillas con tu Brief (eslogan, quiénes somos, misión). Un "
            "administrador puede conectar un modelo en Configuración."
        ),
        "open_ended": (
            "Esa pregunta pide un consejo o una opinión, y para eso hace falta un modelo de IA "
            "en la nube. Sin él respondo solo lo que muestran tus datos: conteos, totales, "
            "facturas vencidas y tendencias. Un administrador puede conectar un modelo en "
            "Configuración."
        ),
        "not_in_data": (
            "No encuentro la respuesta en tus datos y, sin un modelo de IA en la nube, no voy a "
            "adivinar. Puedo contarte de facturas (vencidas, por cobrar, ingresos y su "
            "tendencia), clientes y eventos registrados."
        ),
        "overdue_none": "No hay facturas vencidas.",
        "overdue": "{count} factura(s) vencida(s), {total} en total:",
        "invoice_line": "{number}, {customer}: {amount}, {days} día(s) de atraso",
        "outstanding": "{count} factura(s) sin pagar, {total} por cobrar.",
        "revenue": "Ingresos {period}: {total} de {count} factura(s) pagada(s).",
        "trend_up": (
            "Los ingresos de este mes son {now}, {change}% más que {before} del mes pasado."
        ),
        "trend_down": (
            "Los ingresos de este mes son {now}, {change}% menos que {before} del mes pasado."
        ),
        "trend_none": "Los ingresos de este mes son {now}; el mes pasado no hubo para comparar.",
        "top_customer": "Tu mejor cliente es {customer}, con {total} pagados.",
        "top_customer_none": "Aún no hay facturas pagadas, así que no hay un mejor cliente.",
        "customers_total": "Tienes {count} cliente(s).",
        "customers_period": "{count} cliente(s) nuevo(s) {period}.",
        "invoices_count": "{count} factura(s) {status} {period}.",
        "events_count": "{count} evento(s) «{type}» {period}.",
        "status_paid": "pagada(s)",
        "status_sent": "enviada(s)",
        "status_draft": "en borrador",
        "status_void": "anulada(s)",
    },
}
