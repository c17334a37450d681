"""The base class of a Python workflow."""


class WorkflowEntrypoint:
    """Subclass it and define ``async def run(self, event, step)``. ``event`` is a dict with
    ``payload`` (the params), ``timestamp`` (a datetime), ``instanceId`` and ``workflowName``
    (and ``schedule`` for cron-created instances). What ``run`` returns is the instance's output
    (JSON, at most 1 MiB); what it raises fails the instance."""

    async def run(self, event, step):
        raise NotImplementedError("a workflow defines async def run(self, event, step)")
