package dev.ferry.engine;

import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.WorkflowDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the machine may ask about the world beyond the instance's state, read-only. The processor
 * answers from its stores, the test kit from maps; the machine asks only what an input needs.
 */
public interface Facts {
  /** The entry at this position of the instance's history, or null. */
  StepRecord step(String instanceKey, int position);

  /** The instance's whole history in position order (only a restart from a step asks). */
  List<StepRecord> history(String instanceKey);

  /** The oldest event kept for the instance of this type, if any. */
  Optional<BufferedEvent> oldestEvent(String instanceKey, String type);

  /** What the catalogue knows of a workflow (a create asks). */
  Workflow workflow(String account, String workflow);

  /** Instances of the workflow holding a running slot now. */
  long running(WorkflowKey workflow);

  /** The worker groups present now that host the workflow, each with the versions it hosts. */
  Map<String, Set<String>> hosts(WorkflowKey workflow);

  /**
   * @param exists whether any worker registered the workflow or it was defined ({@code PUT})
   * @param definition its definition (defaults for creates), or null
   * @param newestVersion the newest version registered, or null
   */
  record Workflow(boolean exists, WorkflowDefinition definition, String newestVersion) {}
}
