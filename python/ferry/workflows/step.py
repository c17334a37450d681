"""The step API workflow code calls: ``step.do`` (a decorator), ``step.sleep``,
``step.sleep_until`` and ``step.wait_for_event``, as in Cloudflare's Python Workflows."""

import asyncio
import inspect
from datetime import datetime, timezone

from . import limits
from .durations import to_ms
from .run import CTX, Suspension


class WorkflowStep:
    """What ``run(self, event, step)`` gets as ``step``."""

    def __init__(self, run):
        self._run = run

    def do(self, name=None, *, concurrent=False, config=None):
        """Makes the decorated function a step named ``name`` (default: the function's name).
        Awaiting the decorated function runs the step once per run, checkpointed: a replay returns
        the recorded result without running it again. A parameter named like an earlier step
        function gets that step's result (it runs first; with ``concurrent=True`` such dependencies
        run concurrently, each checkpointed on its own); a parameter named ``ctx`` gets the step
        context (``attempt``, ``count``, ``config``)."""
        if callable(name) and config is None and not concurrent:
            return StepFunction(self._run, name.__name__, name, False, None)  # @step.do without ()

        def decorate(fn):
            return StepFunction(self._run, name or fn.__name__, fn, concurrent, config)

        return decorate

    async def sleep(self, name, duration):
        """Sleeps for ``duration`` ("5 minutes", milliseconds or a timedelta), durably."""
        millis = to_ms(duration, "duration")
        if millis > limits.MAX_SLEEP_MS:
            raise ValueError("a sleep lasts at most 365 days, got %d ms" % millis)
        self._run.sleep(name, duration=millis)

    async def sleep_until(self, name, timestamp):
        """Sleeps until ``timestamp``: a datetime (naive ones are UTC) or Unix epoch seconds."""
        if isinstance(timestamp, datetime):
            when = timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=timezone.utc)
            wake_at = int(when.timestamp() * 1000)
        elif isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool):
            wake_at = int(timestamp * 1000)
        else:
            raise ValueError("timestamp must be a datetime or epoch seconds, got %r" % (timestamp,))
        self._run.sleep(name, wake_at=wake_at)

    async def wait_for_event(self, name, event_type, timeout="24 hours"):
        """Waits for an event of ``event_type`` sent to this instance, at most ``timeout``; returns
        ``{"payload", "timestamp", "type"}`` or raises WorkflowTimeoutError."""
        if not isinstance(event_type, str) or not event_type:
            raise ValueError("event_type must be a non-empty string, got %r" % (event_type,))
        millis = to_ms(timeout, "timeout")
        if millis > limits.MAX_SLEEP_MS:
            raise ValueError("a wait lasts at most 365 days, got %d ms" % millis)
        return self._run.wait_for_event(name, event_type, millis)


class StepFunction:
    """A decorated step body. Awaiting it runs the step (and its dependencies) once per run."""

    def __init__(self, run, name, fn, concurrent, config):
        if not callable(fn):
            raise TypeError("step.do decorates a function, got %r" % (fn,))
        self._run = run
        self.name = name
        self._fn = fn
        self._concurrent = concurrent
        self._config = config
        self._params = list(inspect.signature(fn).parameters.values())
        self._reserved = None
        self._task = None
        self._rollback = None
        run.step_functions[fn.__name__] = self

    def rollback(self, handler=None, *, config=None):
        """Registers the step's compensation: ``async def undo(ctx)``, run (newest step first) when
        the run fails or is terminated with rollback. ``ctx`` has ``output`` (or ``error``),
        ``name``, ``count`` and ``attempt``."""

        def register(fn):
            self._rollback = (fn, config)
            return fn

        return register(handler) if handler is not None else register

    def _dependencies(self):
        deps = []
        for param in self._params:
            if param.name == "ctx":
                continue
            dep = self._run.step_functions.get(param.name)
            if dep is None or dep is self:
                if param.default is not inspect.Parameter.empty:
                    continue
                raise TypeError(
                    "step \"%s\": parameter '%s' names no earlier step function (nor ctx)" % (self.name, param.name))
            deps.append((param.name, dep))
        return deps

    def _reserve(self):
        """Fixes the identities and positions of this step and its dependencies, dependencies
        first, before anything awaits: the order does not depend on which body finishes first."""
        if self._reserved is not None:
            return
        for _, dep in self._dependencies():
            dep._reserve()
        self._reserved = self._run.reserve("DO", self.name)

    def _start(self):
        if self._task is None:
            self._task = asyncio.ensure_future(self._execute())
        return self._task

    async def _execute(self):
        deps = self._dependencies()
        values = {}
        if self._concurrent and len(deps) > 1:
            results = await asyncio.gather(*(dep._start() for _, dep in deps), return_exceptions=True)
            failures = [r for r in results if isinstance(r, BaseException)]
            for result in failures:
                if not isinstance(result, Suspension):
                    raise result
            if failures:
                raise failures[0]
            values = {name: result for (name, _), result in zip(deps, results)}
        else:
            for name, dep in deps:
                values[name] = await dep._start()
        if any(p.name == "ctx" for p in self._params):
            values["ctx"] = CTX
        rollback = None if self._rollback is None else (self._rollback[0], self._rollback[1] or self._config)
        return await self._run.do(self._reserved, self._fn, values, self._config, rollback)

    def __call__(self, *args, **kwargs):
        if args or kwargs:
            raise TypeError("step \"%s\" takes no arguments: its parameters are filled in by name" % self.name)
        self._reserve()
        return self._start()
