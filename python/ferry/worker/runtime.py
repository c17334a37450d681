"""The Python worker: joins a worker group, takes its tasks from Kafka and runs them with the step
engine, speaking docs/worker-protocol.md (the Java WorkerRuntime is the other implementation)."""

import collections
import hashlib
import inspect
import logging
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from ..wire import codec
from ..wire.registry import RegistryClient
from ..workflows import limits
from ..workflows.run import ActivationRun
from . import observability
from .connection import check_connection

LOG = logging.getLogger("ferry.worker")
TASK_TOPIC_MAX_BYTES = 16 * 1024 * 1024
KEPT_VIEWS = 10_000
"""Histories kept for the next activation of an instance (the least recently used go first)."""


def producer_config(bootstrap):
    """An idempotent producer that partitions as Ferry's Java clients do. librdkafka's default
    partitioner hashes keys differently from Kafka's Java clients (murmur2): a report on another
    partition than its instance's reaches an orchestrator task that does not know the instance."""
    return {"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all", "linger.ms": 0,
            "message.max.bytes": TASK_TOPIC_MAX_BYTES, "partitioner": "murmur2_random"}


def now_ms():
    return int(time.time() * 1000)


def version_id(workflow_class):
    """A version id stable for the same code and changed with it: derived from the source of the
    module that defines the class."""
    module = sys.modules.get(workflow_class.__module__)
    try:
        source = inspect.getsource(module) if module is not None else ""
    except (OSError, TypeError):
        source = ""
    digest = hashlib.sha256((workflow_class.__module__ + ":" + workflow_class.__qualname__ + "\n" + source).encode())
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "ferry-python:" + digest.hexdigest()))


class WorkerRuntime:
    """Hosts ``workflows`` (name → WorkflowEntrypoint subclass) for the accounts of ``config``."""

    def __init__(self, config, workflows, registry=None):
        if not workflows:
            raise ValueError("a worker hosts at least one workflow")
        self.config = config
        self.workflows = dict(workflows)
        self.group = config.get("worker.group.id")
        self.worker_id = config.get("worker.id")
        prefix = config.get("topic.prefix")
        self.tasks_topic = prefix + "tasks." + self.group
        self.results_topic = prefix + "results"
        self.workers_topic = prefix + "workers"
        self.versions_topic = prefix + "versions"
        self.bootstrap = config.get("kafka.bootstrap.servers")
        self.registry = RegistryClient(config.get("schema.registry.url"), user_info=config.registry_user_info,
                                       ca_location=config.registry_ca_location)
        self.versions = {name: version_id(cls) for name, cls in self.workflows.items()}
        self.heartbeat_ms = config.int("worker.heartbeat.interval.ms")
        self.presence_ms = config.int("worker.presence.interval.ms")
        self.executor = ThreadPoolExecutor(config.int("worker.concurrency"), thread_name_prefix="ferry-run")
        self.producer = Producer(config.kafka_client(producer_config(self.bootstrap)))
        self.runs = {}
        self.pages = {}
        self.views = collections.OrderedDict()
        self.lock = threading.Lock()
        self.running = threading.Event()
        self.stopped = threading.Event()
        self.started_at = now_ms()
        self.consumer = None
        self.threads = []
        self.observation = observability.WorkerObservation(config, self.registry, registry)
        self.metrics = self.observation.metrics

    # ------------------------------------------------------------------ starting

    def start(self):
        self.observation.start()
        check_connection(self.config)
        self._create_task_topic()
        self._register_versions()
        self.running.set()
        self._announce()
        settings = self.config.task_consumer(self.worker_id)
        settings.setdefault("fetch.message.max.bytes", TASK_TOPIC_MAX_BYTES)
        self.consumer = Consumer(settings)
        self.consumer.subscribe([self.tasks_topic], on_assign=self.observation.assigned, on_revoke=self._revoked)
        for target, name in ((self._poll, "ferry-tasks"), (self._beat, "ferry-heartbeat"),
                             (self._renew_presence, "ferry-presence")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self.threads.append(thread)
        LOG.info("started python worker %s of group %s hosting %s for accounts %s (tasks from %s)",
                 self.worker_id, self.group, sorted(self.workflows), self.config.accounts, self.tasks_topic)
        return self

    def _create_task_topic(self):
        admin = AdminClient(self.config.kafka_client({}))
        if self.tasks_topic in admin.list_topics(timeout=30).topics:
            return
        topic = NewTopic(self.tasks_topic, num_partitions=self.config.int("topic.partitions"),
                         replication_factor=-1, config={"max.message.bytes": str(TASK_TOPIC_MAX_BYTES)})
        for _, future in admin.create_topics([topic]).items():
            try:
                future.result(30)
            except Exception as e:  # another worker of the group created it meanwhile
                if "TOPIC_ALREADY_EXISTS" not in str(e):
                    raise

    def _existing_versions(self):
        """createdOn of the versions already registered, read from the compacted topic."""
        consumer = Consumer(self.config.kafka_client({
            "group.id": "ferry-python-versions-" + self.worker_id,
            "enable.auto.commit": False, "isolation.level": "read_committed"}))
        found = {}
        try:
            metadata = consumer.list_topics(self.versions_topic, timeout=30).topics.get(self.versions_topic)
            partitions = [] if metadata is None else list(metadata.partitions)
            ends = {}
            for p in partitions:
                low, high = consumer.get_watermark_offsets(TopicPartition(self.versions_topic, p), timeout=30)
                if high > low:
                    ends[p] = high
            consumer.assign([TopicPartition(self.versions_topic, p, OFFSET_BEGINNING) for p in ends])
            deadline = time.time() + 30
            while ends and time.time() < deadline:
                msg = consumer.poll(0.5)
                if msg is None or msg.error():
                    continue
                if msg.offset() + 1 >= ends.get(msg.partition(), 0):
                    ends.pop(msg.partition(), None)
                if msg.value() is None:
                    continue
                try:
                    record = codec.decode(self.registry, msg.value())
                except Exception:  # an unreadable record is not ours to worry about
                    continue
                found[msg.key().decode()] = record.get("createdOn")
        finally:
            consumer.close()
        return found

    def _register_versions(self):
        schema_id, schema = self.registry.latest(self.versions_topic + "-value")
        existing = self._existing_versions()
        now = now_ms()
        for account in self.config.accounts:
            for name, cls in sorted(self.workflows.items()):
                key = "%s/%s/%s" % (account, name, self.versions[name])
                record = {"account": account, "workflow": name, "versionId": self.versions[name],
                          "className": cls.__module__ + "." + cls.__qualname__, "scriptName": self.group,
                          "language": "python", "createdOn": existing.get(key) or now,
                          "registeredAt": now, "workerId": self.worker_id}
                self.producer.produce(self.versions_topic, key=key.encode(),
                                      value=codec.encode(schema_id, schema, record))
                LOG.info("registered workflow %s version %s in account %s", name, self.versions[name], account)
        if self.producer.flush(30) > 0:
            raise RuntimeError("could not register the workflows' versions on %s" % self.versions_topic)

    def _announce(self, leaving=False):
        key = ("%s/%s" % (self.group, self.worker_id)).encode()
        if leaving:
            self.producer.produce(self.workers_topic, key=key, value=None)
            return
        schema_id, schema = self.registry.latest(self.workers_topic + "-value")
        presence = {"group": self.group, "workerId": self.worker_id, "language": "python",
                    "workflows": [{"account": a, "workflow": w, "versionId": self.versions[w]}
                                  for a in self.config.accounts for w in sorted(self.workflows)],
                    "startedAt": self.started_at, "heartbeatAt": now_ms(), "expiresAfterMs": 3 * self.presence_ms}
        self.producer.produce(self.workers_topic, key=key, value=codec.encode(schema_id, schema, presence))
        self.producer.poll(0)

    def _renew_presence(self):
        while not self.stopped.wait(self.presence_ms / 1000):
            try:
                self._announce()
            except Exception as e:  # the next renewal tries again
                LOG.warning("could not renew presence: %s", e)

    # ------------------------------------------------------------------ tasks

    def _poll(self):
        lag_at = 0
        while self.running.is_set():
            try:
                if time.monotonic() - lag_at >= 1:
                    lag_at = time.monotonic()
                    self.observation.update_lag(self.consumer)
                msg = self.consumer.poll(0.2)
                if msg is None:
                    continue
                if msg.error():
                    if msg.error().code() != KafkaError._PARTITION_EOF:
                        LOG.warning("task topic: %s", msg.error())
                    continue
                self._take(msg)
                self.consumer.commit(message=msg, asynchronous=True)
            except Exception:  # one bad task never stops the worker
                LOG.exception("could not take a task")

    def _revoked(self, consumer, partitions):
        with self.lock:
            self.pages.clear()  # unfinished activations of partitions that moved

    def _take(self, msg):
        if msg.key() is None or msg.value() is None:
            return
        key = msg.key().decode()
        try:
            task = codec.decode(self.registry, msg.value())
        except codec.DecodeError as e:
            LOG.warning("skipping an unreadable task for %s: %s", key, e)
            return
        body = task.get("body") or {}
        LOG.debug("task for %s: %s of token %s", key, "control" if "action" in body else "activation page",
                  body.get("token"))
        if "action" in body:
            with self.lock:
                run = self.runs.get(key)
            if run is not None and run.activation["token"] == body["token"]:
                run.request_stop(body["action"])
                LOG.info("%s of %s (activation %d) reached its run: it stops before its next step",
                         body["action"], key, body["token"])
            return
        activation = self._join(key, body)
        if activation is not None:
            activation["_writtenAt"] = msg.timestamp()[1]
            self._start(key, activation)

    def _join(self, key, page):
        """The whole activation once its last page arrived; None before that."""
        with self.lock:
            if page.get("page", 0) == 0:
                joined = dict(page)
                joined["history"] = list(page.get("history") or [])
            else:
                joined = self.pages.get(key)
                if joined is None or joined["token"] != page["token"] or joined["_next"] != page["page"]:
                    self.pages.pop(key, None)
                    joined = None
                else:
                    joined["history"].extend(page.get("history") or [])
            if joined is None:
                self._report_outcome(page, {"_type": "HistoryMissing", "historyMissing": True,
                                            "reason": "page %d came without the pages before it" % page["page"]})
                return None
            joined["_next"] = page.get("page", 0) + 1
            if not page.get("lastPage", True):
                self.pages[key] = joined
                return None
            self.pages.pop(key, None)
            return joined

    def _start(self, key, activation):
        name = activation["workflow"]
        cls = self.workflows.get(name)
        if cls is None or activation["account"] not in self.config.accounts:
            self._report_outcome(activation, {"_type": "NotHosted", "group": self.group,
                                              "reason": "worker %s does not host %s/%s" % (self.worker_id,
                                                                                         activation["account"], name)})
            return
        if activation.get("baseToken", 0):
            with self.lock:
                kept = self.views.pop(key, None)
            if kept is None or kept[0] != activation["baseToken"]:
                self._report_outcome(activation, {"_type": "HistoryMissing", "historyMissing": True,
                                                  "reason": "worker %s keeps no history of activation %d"
                                                            % (self.worker_id, activation["baseToken"])})
                return
            start = activation.get("historyFrom", 0)
            activation["history"] = [e for e in kept[1] if e["position"] < start] + activation["history"]
        size = activation.get("historySize", -1)
        last = max((e["position"] for e in activation["history"]), default=-1)
        if size >= 0 and last != size - 1:
            self._report_outcome(activation, {"_type": "HistoryMissing", "historyMissing": True,
                                              "reason": "the history kept does not end at %d" % (size - 1)})
            return
        run = ActivationRun(activation, cls, lambda report: self._send(key, report), worker_id=self.worker_id,
                            version_id=self.versions[name],
                            on_attempt=lambda ok, seconds: self.metrics.attempt_finished(name, ok, seconds))
        with self.lock:
            older = self.runs.get(key)
            if older is not None:
                older.request_stop("TERMINATE")  # a newer activation replaces it
            self.runs[key] = run
        self.executor.submit(self._execute, key, run)

    def _execute(self, key, run):
        written = run.activation.get("_writtenAt", -1)
        if written > 0:
            self.metrics.activation_started(run.activation["workflow"], (now_ms() - written) / 1000)
        try:
            run.run()
        except Exception as e:  # a bug in the engine: the instance errors instead of hanging
            LOG.exception("run of %s failed", key)
            self._report_outcome(run.activation, {"_type": "RunFailed", "rollback": None, "error": {
                "name": limits.INTERNAL_ERROR, "message": limits.cut_message("the Python worker failed: %r" % e)}})
        finally:
            with self.lock:
                if self.runs.get(key) is run:
                    del self.runs[key]
                self.views[key] = (run.activation["token"], run.view())
                self.views.move_to_end(key)
                while len(self.views) > KEPT_VIEWS:
                    self.views.popitem(last=False)

    # ------------------------------------------------------------------ reports

    def _report_outcome(self, activation, outcome):
        key = "%s/%s/%s" % (activation["account"], activation["workflow"], activation["instanceId"])
        self._send(key, {"account": activation["account"], "workflow": activation["workflow"],
                         "instanceId": activation["instanceId"], "token": activation["token"],
                         "workerId": self.worker_id, "reportedAt": now_ms(), "steps": [], "inFlight": None,
                         "outcome": outcome, "stopped": False, "versionId": self.versions.get(activation["workflow"])})

    def _send(self, key, report):
        schema_id, schema = self.registry.latest(self.results_topic + "-value")
        value = codec.encode(schema_id, schema, report)

        def delivered(error, _msg):
            if error is not None:
                LOG.warning("a report of %s was lost (%s): its kept history is dropped", key, error)
                with self.lock:
                    self.views.pop(key, None)

        self.producer.produce(self.results_topic, key=key.encode(), value=value, on_delivery=delivered)
        self.producer.poll(0)

    def _beat(self):
        while not self.stopped.wait(0.5):
            with self.lock:
                runs = list(self.runs.values())
            for run in runs:
                if now_ms() - run.last_report_at >= self.heartbeat_ms:
                    try:
                        run.heartbeat()
                    except Exception as e:  # the next beat tries again
                        LOG.warning("heartbeat failed: %s", e)
            self.producer.poll(0)

    # ------------------------------------------------------------------ stopping

    def close(self):
        """Leaves the group: presence tombstone first, then the consumer; unfinished runs are
        taken over by another worker when their lease ends."""
        if self.stopped.is_set():
            return
        try:
            self._announce(leaving=True)
        except Exception as e:  # the presence expires by itself
            LOG.warning("could not withdraw presence: %s", e)
        self.running.clear()
        self.stopped.set()
        for thread in self.threads:
            thread.join(5)
        if self.consumer is not None:
            self.consumer.close()
        self.producer.flush(10)
        self.executor.shutdown(wait=False)
        self.observation.close()
        LOG.info("python worker %s stopped", self.worker_id)
