package dev.ferry.gateway.internal;

import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.DeleteInstance;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.TerminateInstance;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What each kind of bulk job does, from its description alone (kind, account, workflow, filter):
 * which instances it covers and the command each gets. Any gateway can so run, or resume, any job.
 */
final class BulkJobWork {
  private final InstanceReadModel readModel;
  private final CommandClient commands;

  BulkJobWork(InstanceReadModel readModel, CommandClient commands) {
    this.readModel = readModel;
    this.commands = commands;
  }

  /**
   * The instances the job covers now: for terminate, the unfinished ones (of one status when {@code
   * statusFilter} names one); for delete, all of them.
   */
  List<String> instances(BulkJob.Kind kind, String account, String workflow, String statusFilter) {
    Optional<InstanceStatusCode> only = Optional.ofNullable(statusFilter).flatMap(ApiStatus::parse);
    return readModel
        .queries()
        .instanceIds(
            account,
            workflow,
            status ->
                (kind == BulkJob.Kind.DELETE || !ApiStatus.isTerminal(status))
                    && only.map(f -> f == status).orElse(true));
  }

  CompletableFuture<CommandReply> send(
      BulkJob.Kind kind, String account, String workflow, String instanceId) {
    Object action =
        kind == BulkJob.Kind.TERMINATE
            ? new TerminateInstance(false)
            : new DeleteInstance("workflow deleted", true);
    return commands.send(RouteSupport.command(account, workflow, instanceId, action));
  }
}
