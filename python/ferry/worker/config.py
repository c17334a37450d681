"""The Python worker's settings: the Java worker's keys, from ``FERRY_*`` environment variables
(``FERRY_KAFKA_BOOTSTRAP_SERVERS`` for ``kafka.bootstrap.servers``) or the command line."""

import os
import re
import socket
import uuid

DEFAULTS = {
    "kafka.bootstrap.servers": "127.0.0.1:9092",
    "schema.registry.url": "http://127.0.0.1:8081",
    "topic.prefix": "workflows.",
    "topic.partitions": "2",
    "worker.group.id": "ferry-python-workers",
    "worker.id": "",
    "worker.accounts": "default",
    "worker.concurrency": "32",
    "worker.heartbeat.interval.ms": "3000",
    "worker.presence.interval.ms": "5000",
    "worker.session.timeout.ms": "10000",
    "worker.admin.host": "127.0.0.1",
    "worker.admin.port": "8789",
}
GROUP_RULE = re.compile(r"[A-Za-z0-9._-]{1,100}")


def env_name(key):
    return "FERRY_" + key.upper().replace(".", "_")


class WorkerConfig:
    """Every setting, from (in order) the overrides, ``FERRY_*`` variables, the defaults."""

    def __init__(self, overrides=None, env=None):
        env = os.environ if env is None else env
        overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
        self.values = {}
        for key, default in DEFAULTS.items():
            self.values[key] = str(overrides.get(key, env.get(env_name(key), default)))
        group = self.values["worker.group.id"]
        if not GROUP_RULE.fullmatch(group):
            raise ValueError("worker.group.id must be 1..100 letters, digits, '.', '_' or '-', got %r" % group)
        for key in ("topic.partitions", "worker.concurrency", "worker.heartbeat.interval.ms",
                    "worker.presence.interval.ms", "worker.session.timeout.ms"):
            try:
                if int(self.values[key]) < 1:
                    raise ValueError
            except ValueError:
                raise ValueError("%s must be a positive integer, got %r" % (key, self.values[key])) from None
        try:
            if int(self.values["worker.admin.port"]) not in range(-1, 65536):
                raise ValueError
        except ValueError:
            raise ValueError("worker.admin.port must be a port 0..65535 (0 = any free port) or -1 (none), got %r"
                             % self.values["worker.admin.port"]) from None
        if not self.values["worker.id"]:
            self.values["worker.id"] = "%s-%s" % (socket.gethostname(), uuid.uuid4().hex[:8])
        self.accounts = [a.strip() for a in self.values["worker.accounts"].split(",") if a.strip()]
        if not self.accounts:
            raise ValueError("worker.accounts must name at least one account")

    def get(self, key):
        return self.values[key]

    def int(self, key):
        return int(self.values[key])

    def describe(self):
        """The settings as a printable block, credentials in URLs hidden."""
        lines = []
        for key in sorted(self.values):
            value = re.sub(r"//[^/@]*@", "//[hidden]@", self.values[key])
            lines.append("  %s = %s" % (key, value))
        return "\n".join(lines)
