"""Test workflows without Kafka: ``WorkflowTester`` runs the real step engine and plays the
orchestrator in memory. Sleeps and retry delays are skipped; a step's result or error can be
mocked; events can be sent or their waits timed out.

    tester = WorkflowTester(Checkout, {"order_id": 7})
    tester.mock_step("charge", result={"ok": True})
    tester.send_event("approved", {"by": "ann"})
    outcome = tester.run()
    assert outcome.status == "complete"
"""

import json
import time

from . import limits
from .run import ActivationRun


class Outcome:
    """Where the instance stands after ``run``: ``status`` is ``complete``, ``errored`` or
    ``waiting`` (for an event nobody sent); ``output``, ``error`` (``{name, message}``) and
    ``steps`` (the recorded entries, in order) as the API would show them."""

    def __init__(self, status, output, error, steps, waiting_for=None):
        self.status, self.output, self.error, self.steps = status, output, error, steps
        self.waiting_for = waiting_for

    def step(self, name, kind="DO", count=1):
        for entry in self.steps:
            if entry["kind"] == kind and entry["name"] == name and entry["count"] == count:
                return entry
        raise KeyError("no %s step %r #%d in %s" % (kind, name, count, [e["name"] for e in self.steps]))

    def __repr__(self):
        return "Outcome(%s, output=%r, error=%r)" % (self.status, self.output, self.error)


class _Overrides:
    def __init__(self):
        self.mocks = {}

    def has(self, name):
        return name in self.mocks

    def apply(self, name, ctx):
        result, error = self.mocks[name]
        if error is not None:
            raise error
        return result


class WorkflowTester:
    """Runs one instance of ``workflow_class`` with ``params``, as the orchestrator would."""

    MAX_ACTIVATIONS = 10_000

    def __init__(self, workflow_class, params=None, *, instance_id="test-instance",
                 max_steps=limits.DEFAULT_MAX_STEPS):
        self.workflow_class = workflow_class
        self.params = json.dumps({} if params is None else params)
        self.instance_id = instance_id
        self.max_steps = max_steps
        self.created_at = int(time.time() * 1000)
        self.history = {}
        self.events = []
        self.timed_out = set()
        self.overrides = _Overrides()
        self.token = 0
        self.activations = 0

    def mock_step(self, name, result=None, error=None):
        """Every attempt of step ``name`` returns ``result``, or raises ``error`` (an exception)."""
        self.overrides.mocks[name] = (result, error)
        return self

    def send_event(self, event_type, payload=None):
        """An event for the instance: delivered to the first wait for its type (now or later)."""
        self.events.append((event_type, json.dumps(payload), int(time.time() * 1000)))
        return self

    def time_out(self, event_type):
        """Waits for ``event_type`` without an event time out instead of waiting."""
        self.timed_out.add(event_type)
        return self

    def run(self):
        """Runs activations until the instance completes, errors, or waits for an event."""
        while self.activations < self.MAX_ACTIVATIONS:
            self._wake()
            waiting = self._waiting()
            if waiting is not None:
                return Outcome("waiting", None, None, self._steps(), waiting_for=waiting["eventType"])
            reports = self._activate()
            for report in reports:
                for entry in report["steps"]:
                    self.history[entry["position"]] = dict(entry)
            outcome = reports[-1]["outcome"] if reports else None
            if outcome is not None:
                kind = outcome["_type"]
                if kind == "RunCompleted":
                    output = None if outcome["output"] is None else json.loads(outcome["output"])
                    return Outcome("complete", output, None, self._steps())
                if kind == "RunFailed":
                    return Outcome("errored", None, outcome["error"], self._steps())
                return Outcome("terminated", None, None, self._steps())
        raise AssertionError("the workflow did not settle in %d activations" % self.MAX_ACTIVATIONS)

    def _activate(self):
        self.token += 1
        self.activations += 1
        reports = []
        activation = {
            "account": "test", "workflow": "test", "instanceId": self.instance_id, "token": self.token,
            "generation": 0, "params": self.params, "createdAt": self.created_at, "triggerSource": "API",
            "schedule": None, "history": self._steps(), "maxSteps": self.max_steps, "rollback": False,
        }
        ActivationRun(activation, self.workflow_class, reports.append, step_override=self.overrides).run()
        return reports

    def _steps(self):
        return [self.history[p] for p in sorted(self.history)]

    def _wake(self):
        """What the orchestrator would do before the next activation, with no time passing."""
        now = int(time.time() * 1000)
        for entry in self.history.values():
            if entry["status"] == "SLEEPING":
                entry.update(status="SLEPT", endedAt=now)
            elif entry["status"] == "RETRY_WAIT":
                entry["wakeAt"] = now
            elif entry["status"] == "WAITING":
                for i, (event_type, payload, sent) in enumerate(self.events):
                    if event_type == entry["eventType"]:
                        del self.events[i]
                        entry.update(status="RECEIVED", output=payload, eventTimestamp=sent, endedAt=now)
                        break
                else:
                    if entry["eventType"] in self.timed_out:
                        entry.update(status="TIMED_OUT", endedAt=now, error={
                            "name": limits.TIMEOUT_ERROR,
                            "message": "Execution timed out after %dms" % entry["durationMs"]})

    def _waiting(self):
        for entry in self.history.values():
            if entry["status"] == "WAITING":
                return entry
        return None
