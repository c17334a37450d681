"""Write durable workflows in Python, as Cloudflare's Python Workflows API does:

    from ferry.workflows import WorkflowEntrypoint, NonRetryableError

    class Checkout(WorkflowEntrypoint):
        async def run(self, event, step):
            @step.do("load order")
            async def order():
                return {"id": event["payload"]["order_id"]}

            await step.sleep("cool-off", "5 minutes")
            return await order()
"""

from .entrypoint import WorkflowEntrypoint
from .errors import (
    NonDeterminismError,
    NonRetryableError,
    WorkflowError,
    WorkflowLimitError,
    WorkflowStepError,
    WorkflowTimeoutError,
)

__all__ = [
    "WorkflowEntrypoint",
    "WorkflowError",
    "NonRetryableError",
    "NonDeterminismError",
    "WorkflowLimitError",
    "WorkflowStepError",
    "WorkflowTimeoutError",
]
