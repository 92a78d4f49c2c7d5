"""The platform kernel: configuration, data plane, HTTP. Imports nothing else from xentri."""
