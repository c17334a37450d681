package dev.ferry.schemas.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry protocol Ferry needs. Implementations cache: a schema
 * id never changes meaning, so lookups by id are answered from memory after the first call.
 *
 * <pre>{@code
 * SchemaRegistryClient registry = SchemaRegistryClients.forUrl("http://127.0.0.1:8081");
 * int id = registry.register("workflows.commands-value", Command.getClassSchema());
 * }</pre>
 */
public interface SchemaRegistryClient {

  /** Registers (or finds) the schema under the subject and returns its global id. */
  int register(String subject, Schema schema);

  /** The schema with this global id; throws {@link SchemaRegistryException} if there is none. */
  Schema getById(int id);

  /** The newest version registered under the subject. */
  RegisteredSchema latest(String subject);

  /**
   * Whether the schema could be registered as the next version of the subject under the subject's
   * compatibility level, checked against {@code version} ("latest" or a number).
   */
  boolean isCompatible(String subject, String version, Schema schema);
}
