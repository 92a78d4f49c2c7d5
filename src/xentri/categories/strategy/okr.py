"""Objectives and key results: progress is pure arithmetic on the key results."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def key_result_progress(*, start: Decimal, target: Decimal, current: Decimal) -> Decimal:
    """How far from start to target, 0 to 1 (a target below the start counts downwards)."""
    if target == start:
        return Decimal(1) if current == target else Decimal(0)
    share = (current - start) / (target - start)
    return min(max(share, Decimal(0)), Decimal(1))


def objective_progress(progresses: Sequence[Decimal]) -> Decimal:
    """The mean of its key results; an objective without key results has made no progress."""
    if not progresses:
        return Decimal(0)
    return sum(progresses, Decimal(0)) / len(progresses)
