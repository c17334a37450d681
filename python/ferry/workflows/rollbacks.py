"""The rollback handlers a run registered, and running them: newest step first, each recorded as a
``ROLLBACK`` entry, so a handler that succeeded is not run again after a crash. The first handler
that fails for good ends the rollback as failed (as the Java worker's ``Rollbacks``)."""

import asyncio
import time

from .attempts import call_with_timeout
from .config import resolve, retry_delay_ms
from .errors import NonRetryableError, error_info


class Rollbacks:
    def __init__(self):
        self.entries = []

    def empty(self):
        return not self.entries

    def register(self, reserved, handler, config):
        self.entries.append({"position": reserved.position, "name": reserved.name, "count": reserved.count,
                             "handler": handler, "config": config, "output": None, "error": None})

    def outcome(self, reserved, output, error):
        """What the step produced, for its handler's ``ctx``."""
        for entry in self.entries:
            if entry["position"] == reserved.position:
                entry["output"], entry["error"] = output, error

    def run(self, history, encountered, record, clock):
        """Runs the handlers, newest first; ``history`` has earlier records of their runs, ``record``
        stores a new one. Returns the ``RollbackOutcome``."""
        done = {}
        next_position = encountered
        for entry in history:
            next_position = max(next_position, entry["position"] + 1)
            if entry["kind"] == "ROLLBACK":
                done[(entry["name"], entry["count"])] = entry
        for entry in sorted(self.entries, key=lambda e: e["position"], reverse=True):
            previous = done.get((entry["name"], entry["count"]))
            if previous is not None and previous["status"] == "SUCCEEDED":
                continue
            if previous is not None and previous["status"] == "FAILED":
                return {"complete": False, "error": previous.get("error")}
            result = _undo(entry, next_position, clock)
            next_position += 1
            record(result)
            if result["status"] == "FAILED":
                return {"complete": False, "error": result["error"]}
        return {"complete": True, "error": None}


def _undo(entry, position, clock):
    """One handler with its retries; the waits between attempts happen here, not as timers."""
    config = resolve(entry["config"])
    attempts = []
    started = clock()
    number = 0
    while True:
        number += 1
        attempt_start = clock()
        ctx = {"name": entry["name"], "count": entry["count"], "output": entry["output"],
               "error": entry["error"], "attempt": number}
        try:
            asyncio.run(call_with_timeout(entry["handler"], {}, ctx, config["timeoutMs"], ctx_first=True))
            attempts.append({"attempt": number, "startedAt": attempt_start, "endedAt": clock(),
                             "success": True, "error": None})
            status, error = "SUCCEEDED", None
            break
        except Exception as failure:  # a failed handler attempt
            info = error_info(failure)
            attempts.append({"attempt": number, "startedAt": attempt_start, "endedAt": clock(),
                             "success": False, "error": info})
            if isinstance(failure, NonRetryableError) or number > config["retryLimit"]:
                status, error = "FAILED", info
                break
            time.sleep(min(retry_delay_ms(config["backoff"], config["retryDelayMs"], number), 60_000) / 1000)
    return {"position": position, "kind": "ROLLBACK", "name": entry["name"], "count": entry["count"],
            "status": status, "startedAt": started, "endedAt": clock(), "attempts": attempts, "error": error}
