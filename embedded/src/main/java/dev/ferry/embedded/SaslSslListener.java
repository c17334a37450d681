package dev.ferry.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Makes an {@link EmbeddedKafkaBroker} speak only {@code SASL_SSL} with the {@code PLAIN}
 * mechanism, as a managed cluster (Confluent Cloud, MSK, Aiven) does: TLS with the certificate in
 * {@code keyStore}, then a user name and password from {@code users}. The broker reaches itself
 * through the same listener, as the user {@link #BROKER_USER}; the controller listener stays
 * internal.
 *
 * @param keyStore a PKCS12 key store holding the broker's key and certificate
 * @param trustStore a PKCS12 trust store the broker's own client trusts that certificate with
 * @param storePassword the password of both stores
 * @param users user name → password of every client allowed in
 */
public record SaslSslListener(
    Path keyStore, Path trustStore, String storePassword, Map<String, String> users) {
  /** The listener's name and security protocol. */
  public static final String PROTOCOL = "SASL_SSL";

  public static final String MECHANISM = "PLAIN";

  /** The user the broker itself logs in as over its own listener. */
  public static final String BROKER_USER = "broker";

  public SaslSslListener {
    users = Map.copyOf(new TreeMap<>(users));
    if (users.containsKey(BROKER_USER)) {
      throw new IllegalArgumentException("user '" + BROKER_USER + "' is the broker's own");
    }
  }

  /** The {@code sasl.jaas.config} a client logs in with: {@code PlainLoginModule}, quoted. */
  public static String jaasConfig(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** Turns the broker's single plaintext listener on {@code port} into this one. */
  void applyTo(Properties props, int port) {
    String brokerPassword = storePassword + "-" + BROKER_USER;
    String listener = PROTOCOL + "://127.0.0.1:" + port;
    String controller = props.getProperty("listeners").replaceFirst("^PLAINTEXT://[^,]+,", "");
    props.put("listeners", listener + "," + controller);
    props.put("advertised.listeners", listener);
    props.put(
        "listener.security.protocol.map", PROTOCOL + ":" + PROTOCOL + ",CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", PROTOCOL);
    props.put("sasl.enabled.mechanisms", MECHANISM);
    props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    StringBuilder jaas =
        new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
            .append(" username=\"" + BROKER_USER + "\" password=\"" + brokerPassword + "\"")
            .append(" user_" + BROKER_USER + "=\"" + brokerPassword + "\"");
    users.forEach((user, password) -> jaas.append(" user_" + user + "=\"" + password + "\""));
    props.put("listener.name.sasl_ssl.plain.sasl.jaas.config", jaas.append(';').toString());
    props.put("ssl.keystore.location", keyStore.toString());
    props.put("ssl.keystore.password", storePassword);
    props.put("ssl.keystore.type", "PKCS12");
    props.put("ssl.truststore.location", trustStore.toString());
    props.put("ssl.truststore.password", storePassword);
    props.put("ssl.truststore.type", "PKCS12");
  }

  /**
   * The client settings that reach this listener as {@code user}, by Kafka's key names: what a
   * Ferry part is given as {@code kafka.<key>}.
   */
  public Map<String, String> clientSettings(String user) {
    String password = users.get(user);
    if (password == null) {
      throw new IllegalArgumentException("no user '" + user + "'; the users are " + users.keySet());
    }
    return clientSettings(user, password);
  }

  /** As {@link #clientSettings(String)}, with any password (a wrong one, for a test). */
  public Map<String, String> clientSettings(String user, String password) {
    return Map.of(
        "security.protocol",
        PROTOCOL,
        "sasl.mechanism",
        MECHANISM,
        "sasl.jaas.config",
        jaasConfig(user, password),
        "ssl.truststore.location",
        trustStore.toString(),
        "ssl.truststore.password",
        storePassword,
        "ssl.truststore.type",
        "PKCS12");
  }
}
