"""The module catalogue: categories, sub-categories and modules, their statuses, votes, roadmap.

The web shell builds its sidebar from `load_catalogue()` (structure, names, icons) and overlays
`current_statuses()` (an admin may have moved a module on since the file was written).
"""

from xentri.catalog.catalogue import (
    Catalogue,
    CatalogueEntry,
    CatalogueError,
    Category,
    LocalizedText,
    Module,
    SubCategory,
    load_catalogue,
)
from xentri.catalog.domain import STATUSES, ModuleStatus, priority_score
from xentri.catalog.service import (
    ModuleView,
    RoadmapGroup,
    cast_vote,
    current_statuses,
    get_module,
    list_modules,
    roadmap,
    withdraw_vote,
)

__all__ = [
    "STATUSES",
    "Catalogue",
    "CatalogueEntry",
    "CatalogueError",
    "Category",
    "LocalizedText",
    "Module",
    "ModuleStatus",
    "ModuleView",
    "RoadmapGroup",
    "SubCategory",
    "cast_vote",
    "current_statuses",
    "get_module",
    "list_modules",
    "load_catalogue",
    "priority_score",
    "roadmap",
    "withdraw_vote",
]
