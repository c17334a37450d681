package dev.ferry.schemas;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the topics Ferry creates are replicated (its own, Kafka Streams' internal ones, trigger
 * sources, the registry's): a configured factor as it is; unset ({@link #FROM_CLUSTER}), 3 copies
 * with {@code min.insync.replicas} 2 on a cluster of three brokers or more, so a write survives a
 * broker, and one copy per broker on a smaller (development) cluster, which is said at start.
 *
 * @param factor copies of each partition
 * @param minInsync {@code min.insync.replicas} to set, or null to leave the broker's default
 */
public record Replication(short factor, Integer minInsync) {
  private static final Logger LOG = LoggerFactory.getLogger(Replication.class);

  private static final java.util.Set<String> SAID =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** The configured value meaning "decide from the cluster". */
  public static final short FROM_CLUSTER = -1;

  /** A cluster this large or larger gets 3 copies and min.insync.replicas 2. */
  static final int PRODUCTION_BROKERS = 3;

  /** The rule itself, for a cluster of {@code brokers}. */
  public static Replication decide(short configured, int brokers) {
    if (configured > 0) {
      return new Replication(configured, configured >= PRODUCTION_BROKERS ? 2 : null);
    }
    if (brokers >= PRODUCTION_BROKERS) {
      return new Replication((short) PRODUCTION_BROKERS, 2);
    }
    return new Replication((short) Math.max(1, brokers), null);
  }

  /**
   * Decides for the cluster the admin client (made from {@code kafka}) talks to, and says what it
   * decided and why; a cluster that cannot be reached fails with {@link KafkaConnectionException}.
   */
  public static Replication of(
      Admin admin, dev.ferry.schemas.config.KafkaSettings kafka, short configured) {
    int brokers = KafkaConnection.brokers(admin, kafka);
    Replication decided = decide(configured, brokers);
    if (!SAID.add(brokers + "/" + configured)) {
      return decided; // every part of one process decides alike: said once is enough
    }
    if (configured > 0) {
      LOG.info(
          "new topics get replication factor {} (topic.replication.factor){}",
          decided.factor,
          decided.minInsync == null ? "" : ", min.insync.replicas " + decided.minInsync);
    } else if (decided.minInsync != null) {
      LOG.info(
          "the cluster has {} brokers: new topics get replication factor {}, min.insync.replicas {}",
          brokers,
          decided.factor,
          decided.minInsync);
    } else {
      LOG.warn(
          "the cluster has {} broker(s): new topics get replication factor {}, so a broker's"
              + " loss loses data — fine for development; a production cluster needs {} or more"
              + " brokers (or set topic.replication.factor)",
          brokers,
          decided.factor,
          PRODUCTION_BROKERS);
    }
    return decided;
  }

  /** The topic settings these imply, to add to a new topic's own. */
  public Map<String, String> topicConfigs() {
    Map<String, String> configs = new HashMap<>();
    if (minInsync != null) {
      configs.put("min.insync.replicas", String.valueOf(minInsync));
    }
    return configs;
  }

  /** A new topic replicated like this. */
  public NewTopic newTopic(String name, int partitions, Map<String, String> configs) {
    Map<String, String> all = new HashMap<>(configs);
    all.putAll(topicConfigs());
    return new NewTopic(name, partitions, factor).configs(all);
  }
}
