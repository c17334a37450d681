"""Kafka client settings passed through to the Python worker's clients, and the registry's."""

import base64

import pytest

from conftest import contract
from ferry.wire.registry import RegistryClient
from ferry.worker import config as worker_config
from ferry.worker.config import WorkerConfig

CONTRACT = contract("kafka-settings.json")

SECURED = {
    "FERRY_KAFKA_BOOTSTRAP_SERVERS": "broker:9093",
    "FERRY_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
    "FERRY_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
    "FERRY_KAFKA_SASL_USERNAME": "ferry",
    "FERRY_KAFKA_SASL_PASSWORD": "p4ss",
    "FERRY_KAFKA_SSL_CA_LOCATION": "/etc/ferry/ca.pem",
}


def test_guards_exactly_the_contracts_keys_and_hides_its_secret_words():
    assert worker_config.GUARDED == frozenset(CONTRACT["guarded"])
    assert list(worker_config.SECRET_WORDS) == CONTRACT["secret_words"]


def test_takes_ferry_kafka_variables_as_librdkafka_settings_over_ferrys_own():
    config = WorkerConfig(env=SECURED)

    client = config.kafka_client({"group.id": "g", "session.timeout.ms": 10000})

    assert client == {
        "bootstrap.servers": "broker:9093", "group.id": "g", "session.timeout.ms": 10000,
        "security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512", "sasl.username": "ferry",
        "sasl.password": "p4ss", "ssl.ca.location": "/etc/ferry/ca.pem",
    }


def test_an_override_wins_over_a_variable():
    config = WorkerConfig({"kafka.sasl.username": "other"}, env=SECURED)

    assert config.kafka["sasl.username"] == "other"


@pytest.mark.parametrize("variable", ["FERRY_KAFKA_ACKS", "FERRY_KAFKA_TRANSACTIONAL_ID",
                                      "FERRY_KAFKA_ISOLATION_LEVEL", "FERRY_KAFKA_PARTITIONER"])
def test_refuses_a_key_the_guarantees_depend_on_naming_it(variable):
    key = "kafka." + variable[len("FERRY_KAFKA_"):].lower().replace("_", ".")

    with pytest.raises(ValueError, match="%s cannot be set" % key):
        WorkerConfig(env=dict(SECURED, **{variable: "x"}))


def test_describes_the_settings_with_the_secrets_hidden():
    env = dict(SECURED, FERRY_BASIC_AUTH_USER_INFO="schemas:reg-secret")

    described = WorkerConfig(env=env).describe()

    assert "kafka.sasl.username = ferry" in described
    assert "kafka.sasl.password = [hidden]" in described
    assert "basic.auth.user.info = [hidden]" in described
    assert "p4ss" not in described and "reg-secret" not in described


def test_refuses_registry_user_info_without_a_user():
    with pytest.raises(ValueError, match="basic.auth.user.info must be user:password"):
        WorkerConfig(env={"FERRY_BASIC_AUTH_USER_INFO": "no-colon"})


def test_registry_client_sends_user_info_over_credentials_in_the_url():
    client = RegistryClient("http://url-user:url-pass@registry:8081", user_info="schemas:secret")

    assert client.url == "http://registry:8081"
    assert client._auth == "Basic " + base64.b64encode(b"schemas:secret").decode()


def test_joins_as_a_static_member_only_when_given_an_instance_id():
    dynamic = WorkerConfig(env={}).task_consumer("w-1")
    static = WorkerConfig(env={"FERRY_WORKER_GROUP_INSTANCE_ID": "worker-0"}).task_consumer("w-1")

    assert "group.instance.id" not in dynamic
    assert static["group.instance.id"] == "worker-0"
    assert static["group.id"] == dynamic["group.id"] == "ferry-python-workers"
    assert static["session.timeout.ms"] == 10000


@pytest.mark.parametrize("instance", ["pod 0", "x" * 250, "w/1"])
def test_refuses_an_instance_id_kafka_would_refuse_naming_the_setting(instance):
    with pytest.raises(ValueError) as refused:
        WorkerConfig(env={"FERRY_WORKER_GROUP_INSTANCE_ID": instance})
    assert str(refused.value).startswith("worker.group.instance.id must be")
