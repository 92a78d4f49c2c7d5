"""Finance: customers, invoices with gap-free numbering, payments (and, beside them, expenses).

Other parts reach Finance through its events (`xentri.invoice.*`, `xentri.payment.*`) and its
JSON API; the Brief's offerings reach it through an `OfferingSource` the composition root
gives it, never by importing the Strategy category.
"""
