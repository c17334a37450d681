package dev.ferry.gateway.registry;

/** Confluent's registry modes that Ferry's registry supports (IMPORT is not). */
public enum RegistryMode {
  READWRITE,
  READONLY
}
