package dev.ferry.schemas.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the client for a {@code schema.registry.url}. {@code mock://<scope>} gives an in-memory
 * registry shared by everything in the JVM that names the same scope, as Confluent's serdes do.
 */
public final class SchemaRegistryClients {
  private static final Map<String, InMemorySchemaRegistry> MOCKS = new ConcurrentHashMap<>();
  private static final Map<RegistrySettings, SchemaRegistryClient> HTTP = new ConcurrentHashMap<>();

  private SchemaRegistryClients() {}

  public static SchemaRegistryClient forUrl(String url) {
    return of(RegistrySettings.of(url));
  }

  /** The client for these settings; one per distinct settings in the JVM (they cache schemas). */
  public static SchemaRegistryClient of(RegistrySettings settings) {
    if (settings.url().startsWith("mock://")) {
      return MOCKS.computeIfAbsent(settings.url(), u -> new InMemorySchemaRegistry());
    }
    return HTTP.computeIfAbsent(settings, HttpSchemaRegistryClient::new);
  }
}
