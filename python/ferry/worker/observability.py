"""What a Python worker shows an operator, as a Java worker does: Prometheus metrics (the Java
worker's names, labels and buckets; contract/metrics.json holds them for both test suites) and
readiness, served on a small admin port: /metrics, /livez, /readyz (200 when every check passes,
else 503; both with the checks as JSON) and /health (as /livez)."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

LOG = logging.getLogger("ferry.worker")

LATENCY_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 600)
"""Seconds, from a millisecond to ten minutes: FerryMetrics.LATENCY_BUCKETS of the Java side."""

METRICS, LIVEZ, READYZ, HEALTH = "/metrics", "/livez", "/readyz", "/health"


class WorkerMetrics:
    """Step attempts and failures, attempt durations, activation latency and task lag, labelled
    by workflow only (step names may be made at run time and would grow without bound)."""

    def __init__(self, registry, group, worker_id):
        self.registry = registry
        self.attempts = Counter("ferry_step_attempts", "Step attempts run", ["workflow"], registry=registry)
        self.failures = Counter("ferry_step_failures",
                                "Step attempts that failed (threw, timed out, or returned too much)",
                                ["workflow"], registry=registry)
        self.duration = Histogram("ferry_step_duration_seconds", "How long one step attempt ran",
                                  ["workflow", "outcome"], buckets=LATENCY_BUCKETS, registry=registry)
        self.activation = Histogram("ferry_activation_latency_seconds",
                                    "From the orchestrator writing a task to a worker starting to run it",
                                    ["workflow"], buckets=LATENCY_BUCKETS, registry=registry)
        self.lag = Gauge("ferry_worker_task_lag_records",
                         "Records of the group's task topic this worker has yet to read (the most of any of "
                         "its partitions)", ["group", "worker"], registry=registry).labels(group, worker_id)

    def attempt_finished(self, workflow, success, seconds):
        self.attempts.labels(workflow).inc()
        if not success:
            self.failures.labels(workflow).inc()
        self.duration.labels(workflow, "succeeded" if success else "failed").observe(max(0.0, seconds))

    def activation_started(self, workflow, waited_seconds):
        self.activation.labels(workflow).observe(max(0.0, waited_seconds))

    def task_lag(self, records):
        self.lag.set(records)


def exposition(registry):
    """The registry in Prometheus's text format, without the *_created series prometheus_client
    adds to each counter and histogram: the Java worker has none, and a scrape of either should
    read the same."""

    class WithoutCreated:
        def collect(self):
            for family in registry.collect():
                family.samples = [s for s in family.samples if not s.name.endswith("_created")]
                yield family

    return generate_latest(WithoutCreated())


def new_registry():
    """A registry with the process's own metrics (process_*, python_info), as Java's has jvm_*."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    return registry


class Health:
    """Named readiness checks: each a callable returning (ready, detail); one that raises is not
    ready, with what it raised."""

    def __init__(self):
        self._checks = {}
        self._lock = threading.Lock()

    def add(self, name, check):
        with self._lock:
            self._checks[name] = check
        return self

    def report(self):
        with self._lock:
            checks = list(self._checks.items())
        out = {}
        for name, check in checks:
            try:
                ready, detail = check()
            except Exception as e:  # a check that cannot tell is a check that fails
                ready, detail = False, "%s: %s" % (type(e).__name__, e)
            out[name] = {"ready": bool(ready), "detail": str(detail)}
        return {"ready": all(c["ready"] for c in out.values()), "checks": out}


class AdminServer:
    """The admin port on the standard library's threading HTTP server (four routes need no more)."""

    def __init__(self, host, port, registry, health, setting="worker.admin.port"):
        handler = _handler(registry, health)
        try:
            self.server = ThreadingHTTPServer((host, port), handler)
        except OSError as e:
            raise RuntimeError("the worker's admin port %s:%d is not free (%s): set %s to a free port "
                               "(0 = any free port, -1 = no admin port)" % (host, port, e, setting)) from None
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="ferry-admin", daemon=True)
        self.thread.start()
        LOG.info("worker admin port: http://%s:%d (%s, %s, %s)", host, self.port, METRICS, LIVEZ, READYZ)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _handler(registry, health):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path == METRICS:
                self._answer(200, CONTENT_TYPE_LATEST, exposition(registry))
            elif path in (LIVEZ, HEALTH):
                self._answer(200, "application/json", b'{"status":"ok"}')
            elif path == READYZ:
                report = health.report()
                self._answer(200 if report["ready"] else 503, "application/json",
                             json.dumps(report, separators=(",", ":")).encode())
            else:
                self._answer(404, "application/json", json.dumps(
                    {"error": "no route %s: try %s" % (path, ", ".join((METRICS, LIVEZ, READYZ, HEALTH)))}).encode())

        def do_HEAD(self):
            self.do_GET()

        def _answer(self, status, content_type, body):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, format, *args):  # scrapes every few seconds would flood the log
            LOG.debug("admin: " + format, *args)

    return Handler


class WorkerObservation:
    """A worker's metrics, its readiness checks (in its group; the schema registry answers) and
    its admin port (``worker.admin.port``; -1: none)."""

    def __init__(self, config, registry_client, registry=None):
        self.config = config
        self.group = config.get("worker.group.id")
        self.worker_id = config.get("worker.id")
        self.registry_client = registry_client
        self.registry = registry if registry is not None else new_registry()
        self.metrics = WorkerMetrics(self.registry, self.group, self.worker_id)
        self.health = Health()
        self.partitions = None  # task partitions the group gave this worker; None until it joined
        self.admin = None

    def start(self):
        """Opens the admin port first, so a probe sees "not ready yet" rather than no answer."""
        subject = self.config.get("topic.prefix") + "commands-value"
        self.health.add("worker " + self.worker_id, lambda: (
            (True, "in group %s with %d task partitions" % (self.group, self.partitions))
            if self.partitions is not None else (False, "joining group " + self.group)))
        self.health.add("schema registry", lambda: (
            True, "%s version %d" % (subject, self.registry_client.latest_version(subject))))
        port = self.config.int("worker.admin.port")
        if port >= 0:
            self.admin = AdminServer(self.config.get("worker.admin.host"), port, self.registry, self.health)

    def assigned(self, consumer, partitions):
        """The consumer's on_assign: a group may have more members than partitions, so joined
        with none is joined too."""
        self.partitions = len(partitions)

    def update_lag(self, consumer):
        """The most records behind on any assigned task partition, from the fetches' high
        watermarks (cached by the consumer: no request)."""
        lag = 0
        try:
            for tp in consumer.position(consumer.assignment()):
                if tp.offset >= 0:
                    _, high = consumer.get_watermark_offsets(tp, cached=True)
                    if high >= 0:
                        lag = max(lag, high - tp.offset)
        except Exception as e:  # nothing fetched yet: the next update tries again
            LOG.debug("task lag: %s", e)
            return
        self.metrics.task_lag(lag)

    def close(self):
        if self.admin is not None:
            self.admin.close()
