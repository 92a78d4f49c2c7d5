"""The sidebar's tree: the seven categories, and below them what the module catalogue offers.

The category names and summaries are the shell's own gettext strings; sub-categories and modules
come from the module catalogue (`xentri.catalog.load_catalogue()`), which carries its names in
both languages. The statuses here are the file's; pages that show them overlay the live ones
(`xentri.catalog.current_statuses`), since an admin may have moved a module on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

from xentri.catalog import load_catalogue
from xentri.shell.i18n import N_


@dataclass(frozen=True)
class NavItem:
    slug: str
    names: dict[str, str]  # by language: the catalogue's own translations
    status: str | None = None  # the catalogue's module status
    children: tuple[NavItem, ...] = field(default_factory=tuple)

    def name_in(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True)
class NavCategory:
    slug: str
    name: str  # message id
    summary: str  # message id
    children: tuple[NavItem, ...] = field(default_factory=tuple)
    # The category's own pages (its views live in the category's package): (path, message id).
    pages: tuple[tuple[str, str], ...] = ()

    @property
    def path(self) -> str:
        return f"/c/{self.slug}"

    @property
    def pulse_path(self) -> str:
        return f"/pulse/category.{self.slug}"

    def holds(self, current_path: str) -> bool:
        """Whether the page is one of this category's: its pages, or its Pulse at any level."""
        pulse_prefixes = tuple(
            f"/pulse/{level}.{self.slug}" for level in ("category", "subcategory", "module")
        )
        return (
            current_path == self.path
            or current_path.startswith(self.path + "/")
            or current_path == pulse_prefixes[0]
            or current_path.startswith(tuple(prefix + "." for prefix in pulse_prefixes[1:]))
        )


CATEGORIES: tuple[NavCategory, ...] = (
    NavCategory(
        "strategy",
        N_("Strategy"),
        N_("Your business brief, goals and decisions, with the Strategy Co-pilot."),
        pages=(
            ("/c/strategy/interview", N_("Interview")),
            ("/c/strategy/brief", N_("Brief")),
            ("/c/strategy/recommendations", N_("Recommendations")),
            ("/c/strategy/goals", N_("Goals")),
            ("/c/strategy/decisions", N_("Decisions")),
        ),
    ),
    NavCategory(
        "finance",
        N_("Finance"),
        N_("Invoices, payments, expenses and reports."),
        pages=(
            ("/c/finance/invoices", N_("Invoices")),
            ("/c/finance/customers", N_("Customers")),
            ("/c/finance/expenses", N_("Expenses")),
            ("/c/finance/reports", N_("Reports")),
            ("/c/finance/settings", N_("Settings")),
        ),
    ),
    NavCategory(
        "brand", N_("Brand"), N_("Your website, content, lead capture and search presence.")
    ),
    NavCategory("sales", N_("Sales"), N_("Customers, quotes, your pipeline and follow-ups.")),
    NavCategory("operations", N_("Operations"), N_("Jobs and projects, scheduling and resources.")),
    NavCategory("team", N_("Team"), N_("Roles, permissions, procedures and onboarding.")),
    NavCategory("legal", N_("Legal"), N_("Contracts, compliance and policies.")),
)

# Words for the catalogue's module statuses and the org roles, as badges show them.
STATUS_NAMES = {
    "planned": N_("Planned"),
    "coming_soon": N_("Coming soon"),
    "in_development": N_("In development"),
    "beta": N_("Beta"),
    "active": N_("Available"),
}
ROLE_NAMES = {"owner": N_("Owner"), "admin": N_("Admin"), "member": N_("Member")}

# What a module's badge says and its colour (seed §11, "Module Status Progression"): gray
# planned, blue coming soon, purple in development, yellow beta, and no badge once active.
STATUS_MESSAGES = {
    "planned": N_("On our radar"),
    "coming_soon": N_("Coming soon"),
    "in_development": N_("Coming within the month"),
    "beta": N_("Beta — Try it now"),
}
STATUS_TONES = {
    "planned": "gray",
    "coming_soon": "blue",
    "in_development": "purple",
    "beta": "yellow",
}


@functools.cache
def categories() -> tuple[NavCategory, ...]:
    catalogue = load_catalogue()
    tree = []
    for base in CATEGORIES:
        found = catalogue.category(base.slug)
        subs = found.subcategories if found is not None else ()
        children = tuple(
            NavItem(
                slug=sub.id,
                names={"en": sub.name.en, "es": sub.name.es},
                children=tuple(
                    NavItem(
                        slug=module.id,
                        names={"en": module.name.en, "es": module.name.es},
                        status=str(module.status),
                    )
                    for module in sub.modules
                ),
            )
            for sub in subs
        )
        tree.append(replace(base, children=children))
    return tuple(tree)


def category(slug: str) -> NavCategory | None:
    return next((item for item in categories() if item.slug == slug), None)
