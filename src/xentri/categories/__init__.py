"""Business categories. A category never imports another; they talk through events."""
