"""python3 -m ferry.worker --group <name> --workflow <name>=<module>:<Class> ...

Runs a Python worker of one worker group. Settings not given on the command line come from the
same FERRY_* environment variables as the Java worker's (FERRY_KAFKA_BOOTSTRAP_SERVERS,
FERRY_SCHEMA_REGISTRY_URL, FERRY_TOPIC_PREFIX, FERRY_WORKER_ACCOUNTS, ...); Kafka client settings
as FERRY_KAFKA_<KEY>, named as librdkafka names them (FERRY_KAFKA_SECURITY_PROTOCOL=SASL_SSL,
FERRY_KAFKA_SASL_USERNAME, ...), the registry's as FERRY_BASIC_AUTH_USER_INFO and
FERRY_SCHEMA_REGISTRY_SSL_CA_LOCATION;
FERRY_WORKER_LOG_LEVEL=DEBUG logs every task taken."""

import argparse
import importlib
import logging
import os
import signal
import sys
import threading

from ..workflows import WorkflowEntrypoint
from .config import WorkerConfig, env_name
from .connection import KafkaConnectionError
from .runtime import WorkerRuntime


def load_workflow(spec):
    """``name=module:Class`` → (name, class); SystemExit naming what is wrong."""
    name, sep, target = spec.partition("=")
    module_name, colon, class_name = target.partition(":")
    if not sep or not colon or not name or not module_name or not class_name:
        raise SystemExit("--workflow must be <name>=<module>:<Class>, got %r" % spec)
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise SystemExit("--workflow %s: cannot import module %s: %s" % (name, module_name, e)) from None
    cls = getattr(module, class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, WorkflowEntrypoint)):
        raise SystemExit("--workflow %s: %s.%s is not a WorkflowEntrypoint subclass" % (name, module_name, class_name))
    return name, cls


def parser():
    p = argparse.ArgumentParser(prog="python3 -m ferry.worker", description=__doc__.split("\n\n")[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--group", help="worker group: its consumer group and task topic (%s)" % env_name("worker.group.id"))
    p.add_argument("--workflow", action="append", default=[], metavar="NAME=MODULE:CLASS",
                   help="a workflow to host (repeatable)")
    p.add_argument("--accounts", help="comma-separated accounts to host them for (%s)" % env_name("worker.accounts"))
    p.add_argument("--bootstrap-servers", help="Kafka (%s)" % env_name("kafka.bootstrap.servers"))
    p.add_argument("--registry-url", help="schema registry (%s)" % env_name("schema.registry.url"))
    p.add_argument("--worker-id", help="unique within the group (%s; default host-random)" % env_name("worker.id"))
    p.add_argument("--concurrency", help="activations run at once (%s)" % env_name("worker.concurrency"))
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    if not args.workflow:
        parser().error("name at least one --workflow NAME=MODULE:CLASS")
    logging.basicConfig(level=os.environ.get("FERRY_WORKER_LOG_LEVEL", "INFO").upper(), format="%(asctime)s %(levelname)-5s [%(threadName)s] %(name)s - %(message)s")
    try:
        config = WorkerConfig({"worker.group.id": args.group, "worker.accounts": args.accounts,
                               "kafka.bootstrap.servers": args.bootstrap_servers,
                               "schema.registry.url": args.registry_url, "worker.id": args.worker_id,
                               "worker.concurrency": args.concurrency})
    except ValueError as e:
        raise SystemExit("ferry.worker: %s" % e) from None
    workflows = dict(load_workflow(spec) for spec in args.workflow)
    runtime = WorkerRuntime(config, workflows)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    logging.getLogger("ferry.worker").info("starting with\n%s", config.describe())
    try:
        runtime.start()
    except KafkaConnectionError as e:  # one line naming the settings; a traceback says no more
        runtime.observation.close()
        raise SystemExit("ferry.worker: %s" % e) from None
    done.wait()
    runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
