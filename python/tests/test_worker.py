"""The worker's protocol decisions, without Kafka: pages, deltas it cannot build on, workflows it
does not host, and the wire format's unions and defaults."""

import io

import avro.io
import avro.schema
import pytest

from ferry.examples.workflows import ThreeSteps
from ferry.wire import codec
from ferry.worker.config import WorkerConfig
from ferry.worker.runtime import WorkerRuntime, producer_config, version_id

KEY = "acct/three/i1"


@pytest.fixture
def runtime():
    rt = WorkerRuntime(WorkerConfig({"worker.accounts": "acct", "worker.id": "w1",
                                     "kafka.bootstrap.servers": "127.0.0.1:1"}, env={}),
                       {"three": ThreeSteps})
    rt.sent = []
    rt._send = lambda key, report: rt.sent.append((key, report))
    rt.started = []
    rt.executor.submit = lambda fn, key, run: rt.started.append((key, run))
    yield rt
    rt.executor.shutdown(wait=False)


def page(token, number, last, history=(), **extra):
    body = {"account": "acct", "workflow": "three", "instanceId": "i1", "token": token, "params": "{}",
            "createdAt": 0, "history": list(history), "maxSteps": 100, "rollback": False, "baseToken": 0,
            "historyFrom": 0, "historySize": -1, "page": number, "lastPage": last}
    body.update(extra)
    return body


def entry(position):
    return {"position": position, "kind": "DO", "name": "s%d" % position, "count": 1,
            "status": "SUCCEEDED", "startedAt": 0, "output": "1", "attempts": []}


def test_joins_the_pages_of_an_activation_before_running_it(runtime):
    assert runtime._join(KEY, page(3, 0, False, [entry(0)])) is None
    joined = runtime._join(KEY, page(3, 1, True, [entry(1)]))

    assert [e["position"] for e in joined["history"]] == [0, 1]


def test_answers_history_missing_for_a_page_whose_predecessors_it_did_not_see(runtime):
    assert runtime._join(KEY, page(3, 2, True)) is None

    key, report = runtime.sent[0]
    assert key == KEY
    assert report["outcome"]["_type"] == "HistoryMissing"
    assert report["token"] == 3


def test_answers_history_missing_for_a_delta_on_a_view_it_does_not_keep(runtime):
    runtime._start(KEY, page(5, 0, True, baseToken=4, historySize=0))

    assert runtime.sent[0][1]["outcome"]["_type"] == "HistoryMissing"
    assert runtime.started == []


def test_builds_a_delta_on_the_view_it_kept_from_the_previous_activation(runtime):
    runtime.views[KEY] = (4, [entry(0), entry(1), entry(2)])

    runtime._start(KEY, page(5, 0, True, [dict(entry(2), status="SLEPT")], baseToken=4,
                              historyFrom=2, historySize=3))

    key, run = runtime.started[0]
    assert [e["status"] for e in run.activation["history"]] == ["SUCCEEDED", "SUCCEEDED", "SLEPT"]


def test_says_not_hosted_for_a_workflow_or_account_it_does_not_host(runtime):
    runtime._start("acct/other/i1", page(1, 0, True, workflow="other"))
    runtime._start("elsewhere/three/i1", page(1, 0, True, account="elsewhere"))

    assert [r["outcome"]["_type"] for _, r in runtime.sent] == ["NotHosted", "NotHosted"]
    assert runtime.sent[0][1]["outcome"]["group"] == "ferry-python-workers"


def test_partitions_like_kafkas_java_clients_and_keeps_a_version_per_code():
    assert producer_config("x:9092")["partitioner"] == "murmur2_random"
    assert version_id(ThreeSteps) == version_id(ThreeSteps)


SCHEMA = avro.schema.parse("""
{"type": "record", "name": "Report", "namespace": "t", "fields": [
  {"name": "token", "type": "long"},
  {"name": "added", "type": "string", "default": "later"},
  {"name": "outcome", "type": ["null",
     {"type": "record", "name": "Done", "fields": [{"name": "output", "type": ["null", "string"], "default": null},
                                                   {"name": "done", "type": "boolean"}]},
     {"type": "record", "name": "Gone", "fields": [{"name": "reason", "type": "string"},
                                                   {"name": "gone", "type": "boolean"}]}]}]}
""")


class OneSchema:
    def schema(self, schema_id):
        assert schema_id == 7
        return SCHEMA


def test_writes_the_union_branch_named_by_type_and_fills_in_defaults():
    data = codec.encode(7, SCHEMA, {"token": 1, "outcome": {"_type": "Gone", "reason": "r", "gone": True}})

    assert data[:5] == b"\x00\x00\x00\x00\x07"
    assert codec.decode(OneSchema(), data) == {"token": 1, "added": "later",
                                               "outcome": {"reason": "r", "gone": True}}


def test_refuses_garbage_with_a_decode_error():
    with pytest.raises(codec.DecodeError):
        codec.decode(OneSchema(), b"\x01\x00\x00\x00\x07")
    with pytest.raises(codec.DecodeError):
        codec.decode(OneSchema(), b"\x00\x00\x00\x00\x07\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff")


def test_refuses_a_bad_setting_naming_it():
    with pytest.raises(ValueError, match="worker.group.id"):
        WorkerConfig({"worker.group.id": "bad group!"}, env={})
    with pytest.raises(ValueError, match="worker.concurrency"):
        WorkerConfig({"worker.concurrency": "0"}, env={})
    assert WorkerConfig({}, env={"FERRY_WORKER_ACCOUNTS": "a,b"}).accounts == ["a", "b"]
