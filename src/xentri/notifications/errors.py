"""What the notifications refuse, with the problem each refusal answers with."""

from __future__ import annotations

from xentri.kernel.errors import DomainError


class NotificationNotFoundError(DomainError):
    status, code, title = 404, "notification-not-found", "Notification not found"
