import threading

import pytest

from ferry.workflows import NonRetryableError, WorkflowEntrypoint, WorkflowTimeoutError
from ferry.workflows.run import ActivationRun
from ferry.workflows.testing import WorkflowTester

CALLS = {}


def called(name):
    CALLS[name] = CALLS.get(name, 0) + 1


@pytest.fixture(autouse=True)
def reset_calls():
    CALLS.clear()


class ThreeSteps(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("first")
        async def first():
            called("first")
            return event["payload"]["n"] + 1

        @step.do()
        async def second(first):
            called("second")
            return first * 2

        await second()  # runs first, then second
        await step.sleep("pause", "5 minutes")

        @step.do("third")
        def third(second, ctx):  # a plain function works too
            called("third")
            return {"value": second, "attempt": ctx["attempt"]}

        return await third()


def test_runs_steps_in_order_injecting_earlier_results_by_parameter_name():
    outcome = WorkflowTester(ThreeSteps, {"n": 1}).run()

    assert outcome.status == "complete"
    assert outcome.output == {"value": 4, "attempt": 1}
    assert [(s["kind"], s["name"], s["status"]) for s in outcome.steps] == [
        ("DO", "first", "SUCCEEDED"), ("DO", "second", "SUCCEEDED"),
        ("SLEEP", "pause", "SLEPT"), ("DO", "third", "SUCCEEDED")]
    assert [s["position"] for s in outcome.steps] == [0, 1, 2, 3]


def test_never_runs_a_recorded_step_again_on_replay():
    WorkflowTester(ThreeSteps, {"n": 1}).run()

    # the sleep ended the first activation: first and second were replayed in the second one
    assert CALLS == {"first": 1, "second": 1, "third": 1}


class Flaky(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("flaky", config={"retries": {"limit": 3, "delay": "1 second", "backoff": "constant"}})
        async def flaky(ctx):
            called("flaky")
            if ctx["attempt"] < 3:
                raise RuntimeError("attempt %d failed" % ctx["attempt"])
            return "ok on %d" % ctx["attempt"]

        return await flaky()


def test_retries_a_failing_step_recording_every_attempt():
    outcome = WorkflowTester(Flaky).run()

    assert outcome.status == "complete"
    assert outcome.output == "ok on 3"
    attempts = outcome.step("flaky")["attempts"]
    assert [a["success"] for a in attempts] == [False, False, True]
    assert attempts[0]["error"] == {"name": "RuntimeError", "message": "attempt 1 failed"}
    assert outcome.step("flaky")["config"]["retryLimit"] == 3


class Doomed(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("doomed", config={"retries": {"limit": 2, "delay": 10}})
        async def doomed():
            called("doomed")
            raise ValueError("never works")

        try:
            await doomed()
        except Exception as e:
            return {"caught": str(e), "type": type(e).__name__}


def test_fails_a_step_once_its_retries_run_out_and_raises_its_error_into_run():
    outcome = WorkflowTester(Doomed).run()

    assert outcome.output == {"caught": "never works", "type": "WorkflowStepError"}
    assert outcome.step("doomed")["status"] == "FAILED"
    assert CALLS["doomed"] == 3  # the limit counts retries: three attempts in all


class Refusing(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("refuse")
        async def refuse():
            called("refuse")
            raise NonRetryableError("card declined", "CardDeclined")

        return await refuse()


def test_fails_at_once_on_a_non_retryable_error_and_errors_the_instance_with_the_name_it_gave():
    outcome = WorkflowTester(Refusing).run()

    assert outcome.status == "errored"
    assert outcome.error == {"name": "CardDeclined", "message": "card declined"}
    assert CALLS["refuse"] == 1


class Approval(WorkflowEntrypoint):
    async def run(self, event, step):
        try:
            approval = await step.wait_for_event("approval", "approved", timeout="1 hour")
        except WorkflowTimeoutError as e:
            return {"timed_out": str(e)}
        return {"by": approval["payload"]["by"], "type": approval["type"]}


def test_waits_for_an_event_and_goes_on_with_its_payload():
    tester = WorkflowTester(Approval)
    assert tester.run().status == "waiting"

    outcome = tester.send_event("approved", {"by": "ann"}).run()

    assert outcome.output == {"by": "ann", "type": "approved"}
    assert outcome.step("approval", kind="WAIT_FOR_EVENT")["status"] == "RECEIVED"


def test_raises_a_timeout_into_run_when_the_wait_times_out():
    outcome = WorkflowTester(Approval).time_out("approved").run()

    assert outcome.output == {"timed_out": "Execution timed out after 3600000ms"}


def test_lets_a_test_mock_a_steps_result_or_error():
    assert WorkflowTester(ThreeSteps, {"n": 1}).mock_step("first", result=10).run().output["value"] == 20
    errored = WorkflowTester(Refusing).mock_step("refuse", error=NonRetryableError("mocked")).run()
    assert errored.error["message"] == "mocked"
    assert "refuse" not in CALLS


class Dag(WorkflowEntrypoint):
    async def run(self, event, step):
        both_started = threading.Barrier(2, timeout=10)

        @step.do("left")
        async def left():
            both_started.wait()  # only returns once the other branch runs too
            return 1

        @step.do("right")
        async def right():
            both_started.wait()
            return 2

        @step.do("sum", concurrent=True)
        async def total(left, right):
            return left + right

        return await total()


def test_runs_the_dependencies_of_a_concurrent_step_at_the_same_time():
    outcome = WorkflowTester(Dag).run()

    assert outcome.status == "complete"
    assert outcome.output == 3
    assert [s["name"] for s in outcome.steps] == ["left", "right", "sum"]


class Saga(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("reserve")
        async def reserve():
            return "seat-12A"

        @reserve.rollback
        async def release(ctx):
            called("release " + ctx["output"])

        @step.do("charge")
        async def charge(reserve):
            return "charge-for-" + reserve

        @charge.rollback
        async def refund(ctx):
            called("refund " + ctx["output"])

        await charge()
        raise NonRetryableError("not shipped", "ShippingTimeout")


def test_runs_rollback_handlers_newest_first_when_the_run_fails():
    outcome = WorkflowTester(Saga).run()

    assert outcome.status == "errored"
    assert outcome.error == {"name": "ShippingTimeout", "message": "not shipped"}
    rollbacks = [s for s in outcome.steps if s["kind"] == "ROLLBACK"]
    assert [(s["name"], s["status"], s["position"]) for s in rollbacks] == [
        ("charge", "SUCCEEDED", 2), ("reserve", "SUCCEEDED", 3)]
    assert CALLS == {"refund charge-for-seat-12A": 1, "release seat-12A": 1}


class Large(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("big")
        async def big():
            return "x" * (1024 * 1024 + 1)

        return await big()


def test_fails_a_step_whose_result_is_over_one_mebibyte():
    outcome = WorkflowTester(Large).run()

    assert outcome.status == "errored"
    assert "too large" in outcome.error["message"]


class Loop(WorkflowEntrypoint):
    async def run(self, event, step):
        total = 0
        for i in range(5):
            @step.do("add")
            async def add():
                return i
            total += await add()
        return total


def test_counts_steps_of_the_same_name_and_stops_at_the_step_limit():
    outcome = WorkflowTester(Loop).run()
    assert outcome.output == 10
    assert [s["count"] for s in outcome.steps] == [1, 2, 3, 4, 5]

    limited = WorkflowTester(Loop, max_steps=3).run()
    assert limited.error["name"] == "WorkflowLimitError"


def recorded(name, output):
    """A DO step that succeeded at position 0."""
    return {"position": 0, "kind": "DO", "name": name, "count": 1, "status": "SUCCEEDED",
            "startedAt": 0, "output": output, "attempts": []}


def activation(history, rollback=False):
    return {"account": "a", "workflow": "w", "instanceId": "i", "token": 2, "params": "{}",
            "createdAt": 0, "history": history, "maxSteps": 100, "rollback": rollback}


class Changed(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("renamed")
        async def renamed():
            return 1

        return await renamed()


def test_fails_a_run_whose_code_took_another_path_than_its_history():
    reports = []

    ActivationRun(activation([recorded("original", "1")]), Changed, reports.append).run()

    outcome = reports[-1]["outcome"]
    assert outcome["_type"] == "RunFailed"
    assert outcome["error"]["name"] == "NonDeterministicWorkflowError"
    assert 'step "original"' in outcome["error"]["message"]


class Slow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("slow", config={"timeout": 200, "retries": {"limit": 0}})
        def slow():
            threading.Event().wait(5)  # blocks its own thread, not the run
            return "late"

        return await slow()


def test_fails_an_attempt_that_runs_past_its_timeout_even_when_it_blocks():
    outcome = WorkflowTester(Slow).run()

    assert outcome.status == "errored"
    assert outcome.step("slow")["attempts"][0]["error"]["name"] == "WorkflowTimeoutError"


def test_replays_then_runs_the_handlers_in_a_rollback_activation():
    CALLS.clear()
    reports = []

    ActivationRun(activation([recorded("reserve", '"seat-12A"')], rollback=True), Saga, reports.append).run()

    outcome = reports[-1]["outcome"]
    assert outcome["_type"] == "RolledBack"
    assert outcome["rollback"] == {"complete": True, "error": None}
    # position 2: "charge" was met at 1 (as the Java worker counts it) though it never started
    assert [(s["kind"], s["name"], s["position"]) for s in reports[-1]["steps"]] == [("ROLLBACK", "reserve", 2)]
    assert CALLS == {"release seat-12A": 1}  # charge never started: nothing to undo


class Unwritable(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("set", config={"retries": {"limit": 5}})
        async def returns_a_set():
            called("set")
            return {1, 2}

        return await returns_a_set()


def test_fails_a_step_whose_result_is_not_json_at_once():
    outcome = WorkflowTester(Unwritable).run()

    assert outcome.status == "errored"
    assert "cannot be written as JSON" in outcome.error["message"]
    assert CALLS["set"] == 1  # never retried: every attempt would do the same
