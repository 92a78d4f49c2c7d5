"""Finance's JSON routers, mounted by the composition root under /api/v1/finance."""

from __future__ import annotations

from xentri.categories.finance import customers_api, invoices_api, payments_api

routers = (customers_api.router, invoices_api.router, payments_api.router)
