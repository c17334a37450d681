"""Drive any Ferry workflow from Python through the management API (Cloudflare's Workflows REST
API), on the standard library:

    from ferry.client import connect

    workflow = connect("http://127.0.0.1:8787/client/v4/accounts/dev", token).workflow("three-steps")
    instance = workflow.create({"id": "order-7", "params": {"value": 1}})
    instance.status()         # {"status": "running", "output": None, "error": None, ...}
    instance.send_event("approved", {"by": "ann"})

Errors raise ``FerryApiError`` with the API's ``code`` and the HTTP ``status``."""

from .http import FerryApiError, Instance, Workflow, connect

__all__ = ["connect", "FerryApiError", "Workflow", "Instance"]
