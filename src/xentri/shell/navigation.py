"""The sidebar's tree: the seven categories, and below them what the module catalogue offers.

Seam: the module catalogue (`xentri.catalog`, built separately) will supply each category's
sub-categories and modules with their status. Until it exposes a loader, `categories()` returns
the seven categories with no children; the sidebar template already renders `children` and
`status`, so wiring the loader in here is the only change needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xentri.shell.i18n import N_


@dataclass(frozen=True)
class NavItem:
    slug: str
    name: str  # a message id; templates translate it
    status: str | None = None  # the catalogue's module status (e.g. "planned", "live")
    children: tuple[NavItem, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class NavCategory:
    slug: str
    name: str  # message id
    summary: str  # message id
    children: tuple[NavItem, ...] = field(default_factory=tuple)

    @property
    def path(self) -> str:
        return f"/c/{self.slug}"


CATEGORIES: tuple[NavCategory, ...] = (
    NavCategory(
        "strategy",
        N_("Strategy"),
        N_("Your business brief, goals and decisions, with the Strategy Co-pilot."),
    ),
    NavCategory("finance", N_("Finance"), N_("Invoices, payments, expenses and reports.")),
    NavCategory(
        "brand", N_("Brand"), N_("Your website, content, lead capture and search presence.")
    ),
    NavCategory("sales", N_("Sales"), N_("Customers, quotes, your pipeline and follow-ups.")),
    NavCategory("operations", N_("Operations"), N_("Jobs and projects, scheduling and resources.")),
    NavCategory("team", N_("Team"), N_("Roles, permissions, procedures and onboarding.")),
    NavCategory("legal", N_("Legal"), N_("Contracts, compliance and policies.")),
)


# Words for the catalogue's module statuses and the org roles, as badges show them.
STATUS_NAMES = {"planned": N_("Planned"), "beta": N_("Beta"), "live": N_("Live")}
ROLE_NAMES = {"owner": N_("Owner"), "admin": N_("Admin"), "member": N_("Member")}


def categories() -> tuple[NavCategory, ...]:
    return CATEGORIES


def category(slug: str) -> NavCategory | None:
    return next((item for item in categories() if item.slug == slug), None)
