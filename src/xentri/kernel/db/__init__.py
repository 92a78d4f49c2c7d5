"""PostgreSQL access: URLs, engines, provisioning, migrations and tenant transactions."""
