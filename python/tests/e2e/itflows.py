"""Workflows the Java end-to-end tests (PythonWorkersIT) host in real Python worker processes."""

import os
import time

from ferry.client import connect
from ferry.workflows import WorkflowEntrypoint


def _touch(path, text=""):
    with open(path, "a") as f:
        f.write(text)


class Gated(WorkflowEntrypoint):
    """Its first step says it entered (file ``entered``) and waits until the file ``gate`` exists;
    then one more step. The tests pause or terminate it while the first step runs."""

    async def run(self, event, step):
        p = event["payload"]

        @step.do("gated", config={"retries": {"limit": 0}, "timeout": "2 minutes"})
        def gated():
            _touch(p["entered"])
            while not os.path.exists(p["gate"]):
                time.sleep(0.05)
            return "gate passed"

        @step.do("after")
        async def after(gated):
            return gated + ", then after"

        return await after()


class Slow(WorkflowEntrypoint):
    """The first attempt of its step marks the file ``started`` and hangs (the test kills its
    worker then); a later attempt returns which attempt it was."""

    async def run(self, event, step):
        p = event["payload"]

        @step.do("slow", config={"retries": {"limit": 3, "delay": 100}, "timeout": "5 minutes"})
        def slow(ctx):
            _touch(p["started"], "%d\n" % ctx["attempt"])
            if ctx["attempt"] == 1:
                time.sleep(600)
            return "done on attempt %d" % ctx["attempt"]

        return await slow()


class Notifier(WorkflowEntrypoint):
    """Sends an event to a Java workflow's instance through the Python client: the other half of
    the mixed-deployment test."""

    async def run(self, event, step):
        p = event["payload"]

        @step.do("notify java")
        async def notify():
            instance = connect(p["account_url"], p["token"]).workflow(p["workflow"]).get(p["instance"])
            instance.send_event("python-done", {"from": "python", "value": p["value"] * 10})
            return "sent"

        return await notify()


class Flaky(WorkflowEntrypoint):
    """Its step fails twice, then works: each retry waits for the orchestrator's timer."""

    async def run(self, event, step):
        @step.do("flaky", config={"retries": {"limit": 3, "delay": 200, "backoff": "linear"}})
        def flaky(ctx):
            if ctx["attempt"] < 3:
                raise RuntimeError("attempt %d failed" % ctx["attempt"])
            return "ok on attempt %d" % ctx["attempt"]

        return await flaky()
