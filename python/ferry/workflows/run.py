"""One activation of an instance: runs the workflow from the top over its recorded history, replays
what is recorded, runs what is new, and reports what changed (see docs/worker-protocol.md). Kafka-free:
the worker and the test kit both drive it, so a test sees what production does."""

import asyncio
import inspect
import json
import threading
import time
from datetime import datetime, timezone

from . import limits
from .attempts import call_with_timeout
from .config import resolve
from .errors import (
    NonDeterminismError,
    NonRetryableError,
    WorkflowLimitError,
    WorkflowTimeoutError,
    error_info,
    step_failure,
)
from .rollbacks import Rollbacks

FINISHED = ("SUCCEEDED", "FAILED", "SLEPT", "RECEIVED", "TIMED_OUT")
RETRY_TOLERANCE_MS = 100
"""A parallel branch whose retry is due later than this is not attempted yet."""

_KIND_NAMES = {"DO": "step", "SLEEP": "sleep", "WAIT_FOR_EVENT": "waitForEvent", "ROLLBACK": "rollback"}


CTX = object()
"""Stands in a step body's keyword arguments for the step context, filled in per attempt."""


class Suspension(BaseException):
    """The run stops here: a sleep, a wait, a retry delay, or a pause. A BaseException, so workflow
    code that catches Exception cannot swallow it."""


class RollbackPoint(BaseException):
    """A rollback replay reached the first step without an outcome: run the handlers now."""


def now_ms():
    return int(time.time() * 1000)


def _json(value, what):
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as e:
        raise NonRetryableError("%s cannot be written as JSON: %s" % (what, e)) from None
    if not limits.fits_payload(text):
        raise NonRetryableError("%s is too large. Maximum allowed size is 1MiB." % what)
    return text


class _Reserved:
    """A step's identity, position and recorded entry, fixed in code order before anything awaits."""

    __slots__ = ("kind", "name", "count", "position", "recorded")

    def __init__(self, kind, name, count, position, recorded):
        self.kind, self.name, self.count = kind, name, count
        self.position, self.recorded = position, recorded


class ActivationRun:
    """Runs ``activation`` (a decoded ``Activation`` with its whole history) with an instance of
    ``workflow_class``, sending ``WorkerReport`` dicts to ``sink``."""

    def __init__(self, activation, workflow_class, sink, *, worker_id="", version_id=None,
                 clock=now_ms, step_override=None, on_attempt=None):
        self.activation = activation
        self.on_attempt = on_attempt  # (success, seconds) as each attempt of a step ends
        self.workflow_class = workflow_class
        self.sink = sink
        self.worker_id = worker_id
        self.version_id = version_id
        self.clock = clock
        self.override = step_override
        self.history = {}
        self.by_position = {}
        for record in activation.get("history") or []:
            self.history[(record["kind"], record["name"], record["count"])] = record
            self.by_position[record["position"]] = record
        self.encountered = 0
        self.counts = {}
        self.do_calls = 0
        self.unsent = []
        self.unsent_chars = 0
        self.lock = threading.Lock()
        self.in_flight = None
        self.stop_requested = None  # "PAUSE" or "TERMINATE"
        self.stopped_for_pause = False
        self.rollbacks = Rollbacks()
        self.step_functions = {}
        self.last_report_at = clock()

    # ------------------------------------------------------------------ running

    def run(self):
        """Runs the activation to its end in this thread and sends its last report."""
        try:
            params = json.loads(self.activation.get("params") or "{}")
        except ValueError as e:
            self._flush({"error": {"name": limits.INVALID_PARAMS, "message": "params are not JSON: %s" % e},
                         "rollback": None})
            return
        event = {
            "payload": params,
            "timestamp": datetime.fromtimestamp(self.activation.get("createdAt", 0) / 1000, timezone.utc),
            "instanceId": self.activation["instanceId"],
            "workflowName": self.activation["workflow"],
        }
        schedule = self.activation.get("schedule")
        if schedule:
            event["schedule"] = {"cron": schedule["cron"],
                                 "scheduledTime": datetime.fromtimestamp(schedule["scheduledTime"] / 1000, timezone.utc)}
        from .step import WorkflowStep  # the public API lives apart from the engine

        step = WorkflowStep(self)
        try:
            output = asyncio.run(self._run_workflow(event, step))
        except RollbackPoint:
            self._flush({"rollback": self._roll_back()}, kind="RolledBack")
            return
        except Suspension:
            self._flush(None, stopped=self.stopped_for_pause)
            return
        except BaseException as error:  # the workflow's failure, whatever it raised
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            if self.activation.get("rollback"):
                self._flush({"rollback": self._roll_back()}, kind="RolledBack")
            elif not self.rollbacks.empty() and not isinstance(error, NonDeterminismError):
                self._flush({"error": error_info(error), "rollback": self._roll_back()}, kind="RunFailed")
            else:
                self._flush({"error": error_info(error), "rollback": None}, kind="RunFailed")
            return
        if self.activation.get("rollback"):
            self._flush({"rollback": self._roll_back()}, kind="RolledBack")
            return
        try:
            text = None if output is None else _json(output, "The workflow's output")
        except NonRetryableError as e:
            self._flush({"error": {"name": limits.INTERNAL_ERROR, "message": str(e)}, "rollback": None},
                        kind="RunFailed")
            return
        self._flush({"output": text, "completed": True}, kind="RunCompleted")

    async def _run_workflow(self, event, step):
        instance = self.workflow_class()
        result = instance.run(event, step)
        if inspect.isawaitable(result):
            result = await result
        return result

    def request_stop(self, action):
        """A control record asked the run to stop before its next step (PAUSE or TERMINATE)."""
        self.stop_requested = action

    # ------------------------------------------------------------------ identity

    def reserve(self, kind, name):
        """The step's identity and position in code order, after the determinism check."""
        if not isinstance(name, str) or not name or len(name) > 256 or any(ord(c) < 0x20 for c in name):
            raise ValueError('step name "%s" must be 1..256 characters without control characters' % (name,))
        if kind == "DO":
            self.do_calls += 1
            max_steps = self.activation.get("maxSteps") or limits.DEFAULT_MAX_STEPS
            if self.do_calls > max_steps:
                raise WorkflowLimitError(
                    "The limit of %d steps has been reached. This limit can be changed in your worker"
                    " configuration." % max_steps)
        count = self.counts.get((kind, name), 0) + 1
        self.counts[(kind, name)] = count
        position = self.encountered
        self.encountered += 1
        at_position = self.by_position.get(position)
        if at_position is not None and (at_position["kind"] != kind or at_position["name"] != name):
            raise NonDeterminismError(
                "step %d is %s \"%s\" in the history but the code reached %s \"%s\": the code took another path"
                % (position + 1, _KIND_NAMES[at_position["kind"]], at_position["name"], _KIND_NAMES[kind], name))
        recorded = self.history.get((kind, name, count))
        if recorded is not None and recorded["position"] != position:
            raise NonDeterminismError(
                "%s \"%s\" #%d is step %d in the history but step %d in this run"
                % (_KIND_NAMES[kind], name, count, recorded["position"] + 1, position + 1))
        return _Reserved(kind, name, count, position, recorded)

    def _may_start(self):
        """Before something new starts: not in a rollback replay, not after a pause or terminate."""
        if self.activation.get("rollback"):
            raise RollbackPoint()
        if self.stop_requested is not None:
            self.stopped_for_pause = self.stop_requested == "PAUSE"
            raise Suspension("stopped by " + self.stop_requested)

    # ------------------------------------------------------------------ steps

    async def do(self, reserved, body, kwargs, config, rollback=None):
        """A ``step.do``: replayed when recorded, else its next attempt. ``rollback`` is its
        (handler, config), registered once the step has started: a step a rollback replay never
        reached is not compensated."""
        recorded = reserved.recorded
        if recorded is None:
            self._may_start()
        if rollback is not None:
            self.register_rollback(reserved, rollback[0], rollback[1])
        if recorded is not None:
            status = recorded["status"]
            if status == "SUCCEEDED":
                self._register_outcome(reserved, output=json.loads(recorded["output"]) if recorded.get("output") else None)
                return json.loads(recorded["output"]) if recorded.get("output") is not None else None
            if status == "FAILED":
                self._register_outcome(reserved, error=recorded.get("error"))
                raise step_failure(recorded.get("error"))
            if status == "RETRY_WAIT":
                wake = recorded.get("wakeAt")
                if wake is not None and wake - self.clock() > RETRY_TOLERANCE_MS:
                    raise Suspension("retry of %s not due" % reserved.name)
                if self.activation.get("rollback"):
                    raise RollbackPoint()
                return await self._attempt(reserved, body, kwargs, recorded["config"], list(recorded.get("attempts") or []),
                                           recorded["startedAt"])
            raise Suspension("%s is %s" % (reserved.name, status))
        return await self._attempt(reserved, body, kwargs, resolve(config), [], self.clock())

    async def _attempt(self, reserved, body, kwargs, config, attempts, started_at):
        number = len(attempts) + 1
        base = {"position": reserved.position, "kind": "DO", "name": reserved.name, "count": reserved.count,
                "startedAt": started_at, "config": config}
        if number > config["retryLimit"] + 1:
            # Its predecessor was lost with a worker and counted: no attempt is left.
            last = attempts[-1].get("error") if attempts else None
            info = last or {"name": limits.INTERNAL_ERROR, "message": "no attempt left"}
            self._record(dict(base, status="FAILED", attempts=attempts, error=info, endedAt=self.clock()))
            self._register_outcome(reserved, error=info)
            raise step_failure(info)
        attempt_start = self.clock()
        self.in_flight = dict(base, status="RUNNING", attempts=attempts + [
            {"attempt": number, "startedAt": attempt_start, "endedAt": None, "success": None, "error": None}])
        ctx = {"attempt": number, "count": reserved.count,
               "config": {"retries": {"limit": config["retryLimit"], "delay": config["retryDelayMs"],
                                      "backoff": config["backoff"].lower()},
                          "timeout": config["timeoutMs"]}}
        try:
            if self.override is not None and self.override.has(reserved.name):
                value = self.override.apply(reserved.name, ctx)
            else:
                args = {k: (ctx if v is CTX else v) for k, v in kwargs.items()}
                value = await call_with_timeout(body, args, ctx, config["timeoutMs"])
            text = None if value is None else _json(value, "The step's output")
        except Exception as error:  # a failed attempt, whatever the body raised
            self.in_flight = None
            info = error_info(error)
            ended = self.clock()
            attempts = attempts + [{"attempt": number, "startedAt": attempt_start, "endedAt": ended,
                                    "success": False, "error": info}]
            self._attempt_ended(False, ended - attempt_start)
            if isinstance(error, NonRetryableError) or number >= config["retryLimit"] + 1:
                self._record(dict(base, status="FAILED", attempts=attempts, error=info, endedAt=ended))
                self._register_outcome(reserved, error=info)
                raise step_failure(info) from error
            self._record(dict(base, status="RETRY_WAIT", attempts=attempts, error=info))
            raise Suspension("retrying %s" % reserved.name)
        self.in_flight = None
        ended = self.clock()
        attempts = attempts + [{"attempt": number, "startedAt": attempt_start, "endedAt": ended,
                                "success": True, "error": None}]
        self._attempt_ended(True, ended - attempt_start)
        self._record(dict(base, status="SUCCEEDED", attempts=attempts, output=text, endedAt=ended))
        result = None if text is None else json.loads(text)
        self._register_outcome(reserved, output=result)
        return result

    def _attempt_ended(self, success, millis):
        if self.on_attempt is not None:
            self.on_attempt(success, millis / 1000)

    def sleep(self, name, duration=None, wake_at=None):
        reserved = self.reserve("SLEEP", name)
        recorded = reserved.recorded
        if recorded is not None:
            if recorded["status"] == "SLEPT":
                return
            raise Suspension("still sleeping in " + name)
        self._may_start()
        entry = {"position": reserved.position, "kind": "SLEEP", "name": name, "count": reserved.count,
                 "status": "SLEEPING", "startedAt": self.clock()}
        if wake_at is not None:
            entry["wakeAt"] = wake_at
        else:
            entry["durationMs"] = duration
        self._record(entry)
        raise Suspension("sleeping in " + name)

    def wait_for_event(self, name, event_type, timeout_ms):
        reserved = self.reserve("WAIT_FOR_EVENT", name)
        recorded = reserved.recorded
        if recorded is not None:
            if recorded["status"] == "RECEIVED":
                sent = recorded.get("eventTimestamp") or recorded.get("endedAt") or 0
                return {"payload": json.loads(recorded["output"]) if recorded.get("output") else None,
                        "timestamp": datetime.fromtimestamp(sent / 1000, timezone.utc),
                        "type": recorded.get("eventType")}
            if recorded["status"] == "TIMED_OUT":
                error = recorded.get("error") or {}
                raise WorkflowTimeoutError(error.get("message") or "wait for %s timed out" % event_type)
            raise Suspension("still waiting in " + name)
        self._may_start()
        self._record({"position": reserved.position, "kind": "WAIT_FOR_EVENT", "name": name,
                      "count": reserved.count, "status": "WAITING", "startedAt": self.clock(),
                      "eventType": event_type, "durationMs": timeout_ms})
        raise Suspension("waiting for %s in %s" % (event_type, name))

    # ------------------------------------------------------------------ rollback

    def register_rollback(self, reserved, handler, config):
        self.rollbacks.register(reserved, handler, config)

    def _register_outcome(self, reserved, output=None, error=None):
        self.rollbacks.outcome(reserved, output, error)

    def _roll_back(self):
        """Runs the registered handlers, newest step first, each recorded as a ROLLBACK entry."""
        return self.rollbacks.run(self.history.values(), self.encountered, self._record, self.clock)

    # ------------------------------------------------------------------ reports

    def _record(self, entry):
        entry = _complete_entry(entry)
        key = (entry["kind"], entry["name"], entry["count"])
        self.history[key] = entry
        self.by_position[entry["position"]] = entry
        size = _estimate(entry)
        with self.lock:
            if self.unsent and self.unsent_chars + size > limits.PAGE_CHARS:
                self._send(None, heartbeat=False, stopped=False)
            self.unsent.append(entry)
            self.unsent_chars += size

    def heartbeat(self):
        """Sends what changed and the attempt in flight, so the lease holds and a lost attempt counts."""
        with self.lock:
            self._send(None, heartbeat=True, stopped=False)

    def _flush(self, outcome, kind=None, stopped=False):
        with self.lock:
            self._send(None if outcome is None else dict(outcome, _type=kind), heartbeat=False, stopped=stopped)

    def _send(self, outcome, heartbeat, stopped):
        if not self.unsent and outcome is None and not heartbeat and not stopped:
            return
        self.last_report_at = self.clock()
        a = self.activation
        self.sink({
            "account": a["account"], "workflow": a["workflow"], "instanceId": a["instanceId"],
            "token": a["token"], "workerId": self.worker_id, "reportedAt": self.last_report_at,
            "steps": list(self.unsent), "inFlight": self.in_flight if heartbeat else None,
            "outcome": outcome, "stopped": stopped, "versionId": self.version_id,
        })
        self.unsent = []
        self.unsent_chars = 0

    def view(self):
        """The history as it stands in this run: what the worker keeps for the next activation."""
        return sorted(self.by_position.values(), key=lambda e: e["position"])


_ENTRY_FIELDS = {"endedAt": None, "config": None, "attempts": [], "output": None, "outputType": None,
                 "error": None, "wakeAt": None, "eventType": None, "eventTimestamp": None, "durationMs": None}


def _complete_entry(entry):
    full = dict(_ENTRY_FIELDS)
    full["attempts"] = []
    full.update(entry)
    return full


def _estimate(entry):
    return 64 + sum(len(v) for v in (entry.get("output"), entry.get("name")) if v) + sum(
        len((a.get("error") or {}).get("message") or "") for a in entry.get("attempts") or [])
