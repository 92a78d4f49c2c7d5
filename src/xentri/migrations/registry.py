"""Every table Alembic knows about, so `alembic check` sees drift across the whole schema."""

from xentri.kernel.db.metadata import metadata

target_metadata = metadata
