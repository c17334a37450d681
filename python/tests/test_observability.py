import json
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import contract
from ferry.worker import observability
from ferry.worker.config import WorkerConfig

TABLE = contract("metrics.json")


def scrape(registry):
    return {f.name: f for f in text_string_to_metric_families(
        observability.exposition(registry).decode())}


def exercised():
    registry = observability.new_registry()
    metrics = observability.WorkerMetrics(registry, "billing-py", "w-1")
    metrics.attempt_finished("checkout", True, 0.004)
    metrics.attempt_finished("checkout", False, 0.2)
    metrics.activation_started("checkout", 0.03)
    metrics.task_lag(7)
    return registry


def test_uses_the_latency_buckets_of_the_shared_table():
    assert list(observability.LATENCY_BUCKETS) == TABLE["latencyBucketsSeconds"]


@pytest.mark.parametrize("family", TABLE["worker"], ids=lambda f: f["name"])
def test_serves_each_worker_metric_of_the_shared_table_with_its_type_and_labels(family):
    # The parser names counters without _total; the text carries the full name.
    text = observability.exposition(exercised()).decode()
    assert "# TYPE %s %s" % (family["name"], family["type"]) in text \
        or "# TYPE %s %s" % (family["name"].removesuffix("_total"), family["type"]) in text
    samples = [s for f in scrape(exercised()).values() for s in f.samples
               if s.name == family["name"] or s.name.startswith(family["name"] + "_")]
    assert samples, family["name"]
    for sample in samples:
        assert set(sample.labels) - {"le"} == set(family["labels"]), sample


def test_counts_attempts_failures_and_durations_by_outcome():
    families = scrape(exercised())
    attempts = {s.name: s.value for s in families["ferry_step_attempts"].samples}
    failures = {s.name: s.value for s in families["ferry_step_failures"].samples}
    durations = {(s.name, s.labels.get("outcome"), s.labels.get("le")): s.value
                 for s in families["ferry_step_duration_seconds"].samples}
    lag = families["ferry_worker_task_lag_records"].samples[0]

    assert attempts == {"ferry_step_attempts_total": 2.0}
    assert failures == {"ferry_step_failures_total": 1.0}
    assert durations[("ferry_step_duration_seconds_bucket", "succeeded", "0.005")] == 1.0
    assert durations[("ferry_step_duration_seconds_bucket", "failed", "0.1")] == 0.0
    assert durations[("ferry_step_duration_seconds_bucket", "failed", "0.25")] == 1.0
    assert lag.value == 7 and lag.labels == {"group": "billing-py", "worker": "w-1"}
    assert not [s.name for f in families.values() for s in f.samples if s.name.endswith("_created")]


def test_reports_ready_only_when_every_check_passes_and_names_a_failing_one():
    health = observability.Health().add("in group", lambda: (True, "2 partitions"))
    health.add("registry", lambda: (_ for _ in ()).throw(RuntimeError("connection refused")))

    report = health.report()

    assert report == {"ready": False, "checks": {
        "in group": {"ready": True, "detail": "2 partitions"},
        "registry": {"ready": False, "detail": "RuntimeError: connection refused"}}}


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers["Content-Type"], e.read().decode()


class FakeRegistry:
    def __init__(self):
        self.down = False

    def latest_version(self, subject):
        if self.down:
            raise OSError("schema registry did not answer")
        return 3


def test_serves_metrics_and_readiness_on_the_admin_port():
    config = WorkerConfig({"worker.admin.port": "0", "worker.id": "w-1", "worker.group.id": "g"}, env={})
    registry_client = FakeRegistry()
    observation = observability.WorkerObservation(config, registry_client)
    observation.start()
    base = "http://127.0.0.1:%d" % observation.admin.port
    try:
        before = get(base + "/readyz")
        observation.assigned(None, [object(), object()])
        after = get(base + "/readyz")
        registry_client.down = True
        registry_down = get(base + "/readyz")
        metrics = get(base + "/metrics")
        live = get(base + "/livez")
        missing = get(base + "/nope")
    finally:
        observation.close()

    assert before[0] == 503 and json.loads(before[2])["checks"]["worker w-1"]["detail"] == "joining group g"
    assert after[0] == 200 and json.loads(after[2])["checks"] == {
        "worker w-1": {"ready": True, "detail": "in group g with 2 task partitions"},
        "schema registry": {"ready": True, "detail": "workflows.commands-value version 3"}}
    assert registry_down[0] == 503 and "did not answer" in registry_down[2]
    assert metrics[0] == 200 and metrics[1].startswith("text/plain; version=0.0.4")
    assert "# TYPE ferry_worker_task_lag_records gauge" in metrics[2] and "process_cpu_seconds_total" in metrics[2]
    assert live[:1] == (200,) and json.loads(live[2]) == {"status": "ok"}
    assert missing[0] == 404 and "/readyz" in missing[2]


def test_refuses_an_admin_port_out_of_range_naming_the_setting():
    with pytest.raises(ValueError, match="worker.admin.port must be a port 0..65535"):
        WorkerConfig({"worker.admin.port": "70000"}, env={})


def test_says_which_setting_to_change_when_the_admin_port_is_taken():
    first = observability.AdminServer("127.0.0.1", 0, observability.new_registry(), observability.Health())
    try:
        with pytest.raises(RuntimeError, match="set worker.admin.port to a free port"):
            observability.AdminServer("127.0.0.1", first.port, observability.new_registry(), observability.Health())
    finally:
        first.close()
