"""Python example workflows that ``./ferry dev`` hosts in its Python worker."""
