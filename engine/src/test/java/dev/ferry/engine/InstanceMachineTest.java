package dev.ferry.engine;

import static dev.ferry.engine.InstanceDeciderTest.create;
import static dev.ferry.engine.InstanceDeciderTest.report;
import static dev.ferry.engine.InstanceDeciderTest.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The machine with its rules, over facts kept in a map as an interpreter would keep them. */
class InstanceMachineTest {
  private static final String KEY = "acct/wf/i1";
  private final InstanceMachine machine =
      new InstanceMachine(new DeciderSettings(1_000, 30_000, 10_000), 10);
  private final MapFacts facts = new MapFacts();
  private InstanceState state;

  /** Steps in a map, one group hosting everything, running instances counted by hand. */
  private static final class MapFacts implements Facts {
    final Map<Integer, StepRecord> steps = new HashMap<>();
    long running;
    Map<String, Set<String>> hosts = Map.of("workers", Set.of());
    boolean workflowExists = true;

    @Override
    public StepRecord step(String instanceKey, int position) {
      return steps.get(position);
    }

    @Override
    public List<StepRecord> history(String instanceKey) {
      return List.copyOf(steps.values());
    }

    @Override
    public Optional<BufferedEvent> oldestEvent(String instanceKey, String type) {
      return Optional.empty();
    }

    @Override
    public Workflow workflow(String account, String workflow) {
      return new Workflow(workflowExists, null, null);
    }

    @Override
    public long running(WorkflowKey workflow) {
      return running;
    }

    @Override
    public Map<String, Set<String>> hosts(WorkflowKey workflow) {
      return hosts;
    }
  }

  private Decision apply(Input input) {
    Decision decision = machine.apply(facts, KEY, state, input, 500);
    if (decision.state() != null) {
      state = decision.state();
    }
    decision.steps().forEach(step -> facts.steps.put(step.getPosition(), step));
    return decision;
  }

  @Test
  void shouldHoldACreateForAnUnknownWorkflowForTheGracePeriodAndChangeNothing() {
    facts.workflowExists = false;

    Decision held = apply(new Input.CommandIn(create("i1", "{}")));

    assertThat(held.state()).isNull();
    assertThat(held.effects()).containsExactly(new Effect.HoldCreate(500 + 10_000));
  }

  @Test
  void shouldRefuseAReleasedCreateWhoseWorkflowIsStillUnknownAndStartOneWhoseWorkflowAppeared() {
    facts.workflowExists = false;
    Decision refused = apply(new Input.CreateReleased(create("i1", "{}")));
    facts.workflowExists = true;
    Decision started = apply(new Input.CreateReleased(create("i1", "{}")));

    assertThat(refused.state()).isNull();
    assertThat(refused.effects())
        .anyMatch(
            e ->
                e instanceof Effect.Reply r
                    && r.reply().getOutcome() == dev.ferry.schemas.avro.ReplyOutcome.NOT_FOUND)
        .anySatisfy(e -> assertThat(e).isInstanceOf(Effect.DeadLetter.class));
    assertThat(started.state().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
  }

  @Test
  void shouldRefuseACreateWithABadNameAtOnceEvenForAnUnknownWorkflow() {
    facts.workflowExists = false;
    var bad = create("i1", "{}");
    bad.setInstanceId("not/valid");

    Decision refused = apply(new Input.CommandIn(bad));

    assertThat(refused.effects())
        .noneSatisfy(e -> assertThat(e).isInstanceOf(Effect.HoldCreate.class));
    assertThat(refused.effects())
        .anyMatch(
            e ->
                e instanceof Effect.Reply r
                    && r.reply().getOutcome() == dev.ferry.schemas.avro.ReplyOutcome.INVALID);
  }

  @Test
  void shouldStoreAndCountAStepReportedTwiceOnlyOnce() {
    apply(new Input.CommandIn(create("i1", "{}")));
    StepRecord done = step(0, StepKind.DO, StepStatus.SUCCEEDED).setOutput("1").build();
    apply(new Input.ReportIn(report(state.getToken(), List.of(done))));

    Decision again = apply(new Input.ReportIn(report(state.getToken(), List.of(done))));

    assertThat(again.steps()).isEmpty();
    assertThat(again.history()).isEmpty();
    assertThat(state.getStepCount()).isEqualTo(1);
  }

  @Test
  void shouldRouteTheFirstActivationWithTheWholeHistoryToTheGroupPresent() {
    Decision created = apply(new Input.CommandIn(create("i1", "{}")));

    assertThat(created.all(Effect.Activate.class))
        .singleElement()
        .isEqualTo(new Effect.Activate("workers", 0, 0));
    assertThat(created.all(Effect.SlotChange.class)).containsExactly(new Effect.SlotChange(1));
    assertThat(state.getTaskGroup()).isEqualTo("workers");
  }

  @Test
  void shouldQueueAStartWithoutAFreeSlot() {
    facts.running = 10;

    Decision created = apply(new Input.CommandIn(create("i1", "{}")));

    assertThat(state.getStatus()).isEqualTo(InstanceStatusCode.QUEUED);
    assertThat(created.activate()).isFalse();
    assertThat(created.all(Effect.Enqueue.class))
        .containsExactly(new Effect.Enqueue(Admission.NEW));
    assertThat(created.reply().getStatus()).isEqualTo(InstanceStatusCode.QUEUED);
  }

  @Test
  void shouldAwaitAWorkerWhenNoGroupHostsTheWorkflow() {
    facts.hosts = Map.of();

    Decision created = apply(new Input.CommandIn(create("i1", "{}")));

    assertThat(state.getStatus()).isEqualTo(InstanceStatusCode.QUEUED);
    assertThat(state.getWaitingForWorker().getWorkflow()).isEqualTo("wf");
    assertThat(created.all(Effect.AwaitWorker.class))
        .containsExactly(new Effect.AwaitWorker(state.getToken()));
  }
}
