"""The shared contract: pydantic models other parts (and the outside) rely on. Imports nothing from xentri."""
