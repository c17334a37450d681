"""The Python worker's settings: the Java worker's keys, from ``FERRY_*`` environment variables
(``FERRY_KAFKA_BOOTSTRAP_SERVERS`` for ``kafka.bootstrap.servers``) or the command line.

Kafka client settings pass through as ``FERRY_KAFKA_<KEY>`` (or ``kafka.<key>`` overrides), named as
librdkafka names them: ``FERRY_KAFKA_SECURITY_PROTOCOL=SASL_SSL``, ``FERRY_KAFKA_SASL_MECHANISM``,
``FERRY_KAFKA_SASL_USERNAME``, ``FERRY_KAFKA_SASL_PASSWORD``, ``FERRY_KAFKA_SSL_CA_LOCATION``."""

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
    "worker.group.instance.id": "",
    "worker.admin.host": "127.0.0.1",
    "worker.admin.port": "8789",
}
GROUP_RULE = re.compile(r"[A-Za-z0-9._-]{1,100}")
INSTANCE_ID_RULE = re.compile(r"[A-Za-z0-9._-]{1,249}")
"""Kafka's own rule for a group.instance.id (the broker refuses anything else)."""

KAFKA_PREFIX = "kafka."
"""How Kafka client settings are named among the worker's settings."""

GUARDED = frozenset((
    "bootstrap.servers", "acks", "enable.idempotence", "transactional.id", "isolation.level",
    "enable.auto.commit", "group.id", "application.id", "processing.guarantee", "key.serializer",
    "value.serializer", "key.deserializer", "value.deserializer", "partitioner.class", "partitioner",
))
"""Client keys Ferry sets itself because exactly-once, ordering or routing depend on them (the
Java parts refuse the same ones; both suites check them against contract/kafka-settings.json)."""

SECRET_WORDS = ("password", "secret", "jaas", "token", "user.info", "credential")
"""A setting whose key holds one of these is printed hidden."""

REGISTRY_USER_INFO = "basic.auth.user.info"
REGISTRY_CA_LOCATION = "schema.registry.ssl.ca.location"


def is_secret(key):
    return any(word in key.lower() for word in SECRET_WORDS)


def kafka_settings(overrides, env):
    """The pass-through client settings: ``FERRY_KAFKA_<KEY>`` variables (the key lower-cased,
    underscores as dots), then ``kafka.<key>`` overrides over them; a guarded key is refused."""
    prefix = env_name(KAFKA_PREFIX)
    found = {}
    for name, value in env.items():
        if name.startswith(prefix) and len(name) > len(prefix):
            found[name[len(prefix):].lower().replace("_", ".")] = value
    for key, value in overrides.items():
        if key.startswith(KAFKA_PREFIX):
            found[key[len(KAFKA_PREFIX):]] = str(value)
    found.pop("bootstrap.servers", None)  # Ferry's own kafka.bootstrap.servers, not a pass-through
    for key in sorted(found):
        if key in GUARDED:
            raise ValueError("%s%s cannot be set: Ferry sets %s itself, and its guarantees depend on it"
                             " (set only connection and tuning keys)" % (KAFKA_PREFIX, key, key))
    return found


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
        self.kafka = kafka_settings({k: v for k, v in overrides.items() if k not in DEFAULTS}, env)
        self.registry_user_info = overrides.get(REGISTRY_USER_INFO, env.get(env_name(REGISTRY_USER_INFO))) or None
        if self.registry_user_info is not None and (":" not in self.registry_user_info
                                                    or self.registry_user_info.startswith(":")):
            raise ValueError("%s must be user:password, got a value without a user or a ':'" % REGISTRY_USER_INFO)
        self.registry_ca_location = overrides.get(REGISTRY_CA_LOCATION, env.get(env_name(REGISTRY_CA_LOCATION))) or None
        group = self.values["worker.group.id"]
        if not GROUP_RULE.fullmatch(group):
            raise ValueError("worker.group.id must be 1..100 letters, digits, '.', '_' or '-', got %r" % group)
        instance = self.values["worker.group.instance.id"]
        if instance and not INSTANCE_ID_RULE.fullmatch(instance):
            raise ValueError("worker.group.instance.id must be 1..249 letters, digits, '.', '_' or '-',"
                             " got %r" % instance)
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

    def task_consumer(self, client_id):
        """The settings of the consumer of the group's tasks."""
        settings = {
            "group.id": self.values["worker.group.id"], "client.id": client_id,
            "isolation.level": "read_committed", "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            # How soon a crashed worker's partitions move to the others (librdkafka's default is 45 s).
            "session.timeout.ms": self.int("worker.session.timeout.ms"),
            "heartbeat.interval.ms": max(100, self.int("worker.session.timeout.ms") // 4),
        }
        instance = self.values["worker.group.instance.id"]
        if instance:
            # Static membership: restarted in place, it takes its partitions back at once. librdkafka
            # sends no LeaveGroup for a static member, so a stop keeps them until the session ends.
            settings["group.instance.id"] = instance
        return self.kafka_client(settings)

    def kafka_client(self, ferry):
        """A librdkafka configuration: Ferry's settings for the client (``ferry``), the passed
        ones over them, and the bootstrap servers."""
        config = dict(ferry)
        config.update(self.kafka)
        config["bootstrap.servers"] = self.values["kafka.bootstrap.servers"]
        return config

    def describe(self):
        """The settings as a printable block, credentials in URLs and secrets hidden."""
        lines = []
        for key in sorted(self.values):
            value = re.sub(r"//[^/@]*@", "//[hidden]@", self.values[key])
            lines.append("  %s = %s" % (key, value))
        if self.registry_user_info:
            lines.append("  %s = [hidden]" % REGISTRY_USER_INFO)
        if self.registry_ca_location:
            lines.append("  %s = %s" % (REGISTRY_CA_LOCATION, self.registry_ca_location))
        for key in sorted(self.kafka):
            lines.append("  %s%s = %s" % (KAFKA_PREFIX, key, "[hidden]" if is_secret(key) else self.kafka[key]))
        return "\n".join(sorted(lines))
