"""The Python examples: the same shapes as the Java ones (three steps, a sleep, a wait for an event)
plus a DAG whose dependencies run concurrently."""

from ferry.workflows import NonRetryableError, WorkflowEntrypoint


class ThreeSteps(WorkflowEntrypoint):
    """Params ``{"value": n}``: adds one, doubles, adds three; output ``{"value": ...}``."""

    async def run(self, event, step):
        @step.do("add one")
        async def add_one():
            return event["payload"].get("value", 0) + 1

        @step.do("double")
        async def double(add_one):
            return add_one * 2

        @step.do("add three")
        async def add_three(double):
            return double + 3

        return {"value": await add_three()}


class Sleepy(WorkflowEntrypoint):
    """Params ``{"sleepSeconds": n}`` (default 2): sleeps, then greets."""

    async def run(self, event, step):
        seconds = event["payload"].get("sleepSeconds", 2)
        await step.sleep("nap", "%d seconds" % seconds)

        @step.do("greet")
        async def greet():
            return "slept %d s" % seconds

        return await greet()


class Approval(WorkflowEntrypoint):
    """Waits up to an hour for an ``approved`` event; output who approved."""

    async def run(self, event, step):
        approval = await step.wait_for_event("approval", "approved", timeout="1 hour")

        @step.do("record")
        async def record():
            return {"approved_by": (approval["payload"] or {}).get("by")}

        return await record()


class Dag(WorkflowEntrypoint):
    """Two independent steps that run concurrently, then one that combines them."""

    async def run(self, event, step):
        @step.do("left")
        async def left():
            return event["payload"].get("left", 1)

        @step.do("right")
        async def right():
            return event["payload"].get("right", 2)

        @step.do("combine", concurrent=True)
        async def combine(left, right):
            return {"sum": left + right}

        return await combine()


class Refusing(WorkflowEntrypoint):
    """Checks its params, then fails for good: output never; error ``NonRetryableError``."""

    async def run(self, event, step):
        @step.do("check")
        async def check():
            return {"amount": event["payload"].get("amount", 0)}

        checked = await check()
        raise NonRetryableError("amount %s refused" % checked["amount"])
