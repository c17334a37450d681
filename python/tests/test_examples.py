"""The Python examples, tested with the test kit as their authors would."""

from ferry.examples.workflows import Approval, Dag, Refusing, Sleepy, ThreeSteps
from ferry.workflows.testing import WorkflowTester


def test_three_steps_adds_one_doubles_and_adds_three():
    outcome = WorkflowTester(ThreeSteps, {"value": 4}).run()
    assert outcome.output == {"value": 13}
    assert [s["name"] for s in outcome.steps] == ["add one", "double", "add three"]


def test_sleepy_sleeps_then_greets_without_the_test_waiting():
    outcome = WorkflowTester(Sleepy, {"sleepSeconds": 3600}).run()
    assert outcome.output == "slept 3600 s"
    assert outcome.step("nap", kind="SLEEP")["status"] == "SLEPT"


def test_approval_waits_for_the_event_and_records_who_approved():
    tester = WorkflowTester(Approval)
    assert tester.run().waiting_for == "approved"
    assert tester.send_event("approved", {"by": "ann"}).run().output == {"approved_by": "ann"}


def test_the_dag_combines_its_two_branches():
    assert WorkflowTester(Dag, {"left": 5, "right": 6}).run().output == {"sum": 11}


def test_refusing_fails_for_good_after_its_check():
    outcome = WorkflowTester(Refusing, {"amount": 9}).run()
    assert outcome.error == {"name": "NonRetryableError", "message": "amount 9 refused"}
