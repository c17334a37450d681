"""Create instances and send events by producing Avro records to Ferry's topics, for Python
services that speak only Kafka (docs/kafka.md describes the records):

    from ferry.client.kafka import KafkaCommands

    with KafkaCommands("127.0.0.1:9092", "http://127.0.0.1:8081") as kafka:
        instance_id = kafka.create("dev", "three-steps", {"value": 1})
        kafka.send_event("dev", "approval", "a-1", "approved", {"by": "ann"})

The orchestrator answers on the replies topic and dead-letters what it refuses."""

import json
import time
import uuid

from confluent_kafka import Producer

from ..wire import codec
from ..wire.registry import RegistryClient


class KafkaCommands:
    def __init__(self, bootstrap_servers, registry_url, topic_prefix="workflows."):
        self.registry = RegistryClient(registry_url)
        self.commands = topic_prefix + "commands"
        self.events = topic_prefix + "events"
        # murmur2 as Kafka's Java clients: an instance's records must reach its partition.
        self.producer = Producer({"bootstrap.servers": bootstrap_servers, "enable.idempotence": True,
                                  "acks": "all", "partitioner": "murmur2_random"})

    def create(self, account, workflow, params=None, instance_id=None):
        """Produces a create; returns the instance id (a new UUID when none is given)."""
        instance_id = instance_id or str(uuid.uuid4())
        command = {"requestId": str(uuid.uuid4()), "account": account, "workflow": workflow,
                   "instanceId": instance_id, "issuedAt": int(time.time() * 1000),
                   "action": {"_type": "CreateInstance", "params": json.dumps({} if params is None else params),
                              "triggerSource": "API"}}
        self._produce(self.commands, "%s/%s/%s" % (account, workflow, instance_id), command)
        return instance_id

    def send_event(self, account, workflow, instance_id, event_type, payload=None, event_id=None):
        """Produces an event for the instance; returns its event id (used to drop duplicates)."""
        event_id = event_id or str(uuid.uuid4())
        event = {"eventId": event_id, "account": account, "workflow": workflow, "instanceId": instance_id,
                 "type": event_type, "payload": json.dumps(payload), "sentAt": int(time.time() * 1000)}
        self._produce(self.events, "%s/%s/%s" % (account, workflow, instance_id), event)
        return event_id

    def _produce(self, topic, key, record):
        schema_id, schema = self.registry.latest(topic + "-value")
        errors = []
        self.producer.produce(topic, key=key.encode(), value=codec.encode(schema_id, schema, record),
                              on_delivery=lambda error, _msg: error is not None and errors.append(error))
        if self.producer.flush(30) > 0 or errors:
            raise RuntimeError("could not produce to %s: %s" % (topic, errors or "timed out"))

    def close(self):
        self.producer.flush(30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
