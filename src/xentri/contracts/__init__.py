"""The shared contract: pydantic models that other parts and the outside rely on."""
