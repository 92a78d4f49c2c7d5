"""Xentri: the business operating system for small businesses."""

__version__ = "0.1.0"
