package dev.ferry.orchestrator.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the transactions a dead orchestrator left open ({@link OrphanedTransactions}) as soon as
 * the group has let it go. Each rebalance opens a window of looks, one every {@link #EVERY};
 * outside one it costs nothing. A look that fails for a passing reason is tried at the next; one
 * the cluster refuses (no ACL, a broker too old) turns it off, and the broker's timeout applies.
 */
public final class OrphanFencer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanFencer.class);

  /** How often it looks during a window. */
  static final Duration EVERY = Duration.ofMillis(500);

  /**
   * How long after a rebalance starts it keeps looking: the successors' restore waits on the
   * orphan, so the window spans the rebalance and the restore behind it.
   */
  static final Duration WINDOW = Duration.ofSeconds(20);

  /**
   * Transactions open for less than this are never looked at: a live stream thread's last about one
   * commit interval (milliseconds), a dead one's have been open since before its session ran out
   * (seconds).
   */
  static final long MIN_OPEN_MS = 1_000;

  private static final long CALL_TIMEOUT_MS = 5_000;

  private final Admin admin;
  private final String applicationId;
  private final ScheduledExecutorService executor;
  private volatile long lookUntil = Long.MIN_VALUE;
  private volatile boolean refused;

  private OrphanFencer(Admin admin, String applicationId) {
    this.admin = admin;
    this.applicationId = applicationId;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "ferry-orphan-fencer");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts looking after each {@link #rebalancing()}; closes {@code admin} when closed. */
  public static OrphanFencer start(Admin admin, String applicationId) {
    OrphanFencer fencer = new OrphanFencer(admin, applicationId);
    fencer.executor.scheduleWithFixedDelay(
        fencer::tick, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return fencer;
  }

  /** A rebalance started (the state listener says so): look for orphans for a while. */
  public void rebalancing() {
    lookUntil = System.currentTimeMillis() + WINDOW.toMillis();
    try {
      executor.execute(this::tick); // the first look at once, not a tick later
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing: nothing more to look for
    }
  }

  private void tick() {
    if (refused || System.currentTimeMillis() > lookUntil) {
      return;
    }
    try {
      fenceOrphans();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException
          || e.getCause() instanceof UnsupportedVersionException) {
        refused = true;
        LOG.warn(
            "cannot abort the transactions a dead orchestrator left open ({}); its successor"
                + " waits for the broker to time them out",
            e.getCause().toString());
      } else {
        LOG.debug("looking for orphaned transactions failed; trying again", e.getCause());
      }
    } catch (TimeoutException e) {
      LOG.debug("looking for orphaned transactions timed out; trying again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("looking for orphaned transactions failed; trying again", e);
    }
  }

  private void fenceOrphans() throws ExecutionException, TimeoutException, InterruptedException {
    Collection<String> open =
        admin
            .listTransactions(
                new ListTransactionsOptions()
                    .filterStates(List.of(TransactionState.ONGOING))
                    .filterOnDuration(MIN_OPEN_MS))
            .all()
            .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .stream()
            .map(TransactionListing::transactionalId)
            .toList();
    if (open.isEmpty()) {
      return;
    }
    // Members after the transactions: a process that joins in between is counted live.
    List<String> members =
        admin
            .describeConsumerGroups(List.of(applicationId))
            .all()
            .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .get(applicationId)
            .members()
            .stream()
            .map(MemberDescription::clientId)
            .toList();
    Set<String> orphans = OrphanedTransactions.toFence(applicationId, members, open);
    if (orphans.isEmpty()) {
      return;
    }
    admin.fenceProducers(orphans).all().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    LOG.info(
        "aborted {} transaction(s) left open by orchestrators no longer in the group: {}",
        orphans.size(),
        orphans);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    admin.close(Duration.ofSeconds(5));
  }
}
