"""The first thing a worker does with Kafka: ask for the brokers, and say clearly why it cannot."""

import time

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient


class KafkaConnectionError(Exception):
    """Kafka could not be reached as configured; the message names the settings to check."""


def check_connection(config, timeout=30):
    """Asks the cluster for its brokers within ``timeout`` seconds, and turns what goes wrong
    (credentials refused, TLS failed, nothing answers) into one clear error instead of librdkafka
    retrying in the background while the worker seems to hang."""
    errors = []
    admin = AdminClient(config.kafka_client({"error_cb": errors.append}))
    where = "Kafka at %s (kafka.bootstrap.servers, kafka.security.protocol=%s)" % (
        config.get("kafka.bootstrap.servers"), config.kafka.get("security.protocol", "plaintext"))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return len(admin.list_topics(timeout=1).brokers)
        except KafkaException as e:
            errors.append(e.args[0] if e.args else e)
        admin.poll(0)  # serves error_cb, where librdkafka reports a refused login or handshake
        for error in errors:
            code = error.code() if hasattr(error, "code") else None
            text = error.str() if hasattr(error, "str") else str(error)
            if code == KafkaError._SSL:
                raise KafkaConnectionError("%s failed the TLS handshake: %s. Check kafka.ssl.ca.location (it must"
                                           " trust the brokers' certificate)" % (where, text))
            if code == KafkaError._AUTHENTICATION:
                raise KafkaConnectionError("%s refused the credentials: %s. Check kafka.sasl.username,"
                                           " kafka.sasl.password and kafka.sasl.mechanism" % (where, text))
    raise KafkaConnectionError("no broker of %s answered within %d s. Check that the address is right and"
                               " reachable, and that kafka.security.protocol matches the listener" % (where, timeout))
