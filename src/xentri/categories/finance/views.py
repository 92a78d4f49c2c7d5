"""Finance's pages in the shell: invoices and their payments, customers, expenses, reports."""

from __future__ import annotations

from xentri.categories.finance import (
    views_customers,
    views_expenses,
    views_invoice_detail,
    views_invoices,
    views_payments,
    views_reports,
    views_settings,
)

# The invoices' fixed paths (/new, /totals) come before the detail's /{invoice_id}.
routers = (
    views_invoices.router,
    views_invoice_detail.router,
    views_payments.router,
    views_customers.router,
    views_expenses.router,
    views_reports.router,
    views_settings.router,
)
# The form that carries a receipt when no script ran may be larger than other bodies.
LARGER_BODIES = views_expenses.LARGER_BODIES
