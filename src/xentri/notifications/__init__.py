"""Notifications: what a person is told (the bell, and email when they want it), per person.

Other parts tell people things through here: a message key with its parameters (messages.py)
rendered in the reader's language, a link, and the event that caused it as the dedupe key.
Module news (module_news.py) is the first source; the preferences say who wants which kind by
which channel.
"""

from xentri.notifications.preferences import DEFAULTS, KINDS, Choice, preferences_for, wants
from xentri.notifications.service import (
    NotificationPage,
    NotificationView,
    list_notifications,
    mark_all_read,
    mark_read,
    unread_count,
)

__all__ = [
    "DEFAULTS",
    "KINDS",
    "Choice",
    "NotificationPage",
    "NotificationView",
    "list_notifications",
    "mark_all_read",
    "mark_read",
    "preferences_for",
    "unread_count",
    "wants",
]
