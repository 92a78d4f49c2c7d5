"""Every table Alembic knows about, so `alembic check` sees drift across the whole schema."""

from xentri.ai import tables as _ai_tables  # noqa: F401 - registers the tables
from xentri.ai.memory import tables as _ai_memory_tables  # noqa: F401 - registers the tables
from xentri.catalog import tables as _catalog_tables  # noqa: F401 - registers the tables
from xentri.categories.finance import documents_tables as _document_tables  # noqa: F401
from xentri.categories.finance import expenses_tables as _expense_tables  # noqa: F401
from xentri.categories.finance import tables as _finance_tables  # noqa: F401 - registers
from xentri.categories.strategy import tables as _strategy_tables  # noqa: F401 - registers
from xentri.identity import tables as _identity_tables  # noqa: F401 - registers the tables
from xentri.kernel.db.metadata import metadata
from xentri.kernel.events import tables as _event_tables  # noqa: F401 - registers the tables
from xentri.notifications import tables as _notification_tables  # noqa: F401 - registers
from xentri.pulse import tables as _pulse_tables  # noqa: F401 - registers the tables
from xentri.shell import tables as _shell_tables  # noqa: F401 - registers the tables

target_metadata = metadata
