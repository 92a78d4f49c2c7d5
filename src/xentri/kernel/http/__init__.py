"""The HTTP kernel: app factory, problem details, middleware, health and metrics."""
