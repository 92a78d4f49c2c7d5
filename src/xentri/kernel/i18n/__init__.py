"""Languages: which one a request gets, the gettext catalogs, and the catalog check."""

from xentri.kernel.i18n.catalogs import Catalogs, load_catalogs
from xentri.kernel.i18n.negotiation import (
    DEFAULT_LANGUAGE,
    SUPPORTED_LANGUAGES,
    negotiate,
    parse_accept_language,
    supported_language,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "SUPPORTED_LANGUAGES",
    "Catalogs",
    "load_catalogs",
    "negotiate",
    "parse_accept_language",
    "supported_language",
]
