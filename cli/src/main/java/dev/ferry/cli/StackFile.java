package dev.ferry.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a running {@code ferry dev} can be reached, kept in its data folder ({@code
 * stack.properties}) so that commands started from the same folder find it without options. The API
 * tokens sit beside it in {@code api-tokens.txt}.
 */
public record StackFile(
    String gatewayUrl, String account, String bootstrapServers, String registryUrl) {
  public static final String FILE_NAME = "stack.properties";
  public static final String TOKENS_FILE_NAME = "api-tokens.txt";

  private static final String GATEWAY_URL = "gateway.url";
  private static final String ACCOUNT = "account";
  private static final String BOOTSTRAP = "kafka.bootstrap.servers";
  private static final String REGISTRY = "schema.registry.url";

  /** Writes the file atomically (a reader never sees half of it). */
  public void writeTo(Path dataDir) {
    Properties properties = new Properties();
    properties.setProperty(GATEWAY_URL, gatewayUrl);
    properties.setProperty(ACCOUNT, account);
    properties.setProperty(BOOTSTRAP, bootstrapServers);
    properties.setProperty(REGISTRY, registryUrl);
    Path target = dataDir.resolve(FILE_NAME);
    Path temporary = dataDir.resolve(FILE_NAME + ".tmp");
    try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
      properties.store(
          out, "Written by ferry dev: where its parts listen (read by ferry workflows)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + temporary, e);
    }
    try {
      Files.move(
          temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** The file in {@code dataDir}, if a {@code ferry dev} wrote one there. */
  public static Optional<StackFile> readFrom(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return Optional.of(
        new StackFile(
            properties.getProperty(GATEWAY_URL),
            properties.getProperty(ACCOUNT),
            properties.getProperty(BOOTSTRAP),
            properties.getProperty(REGISTRY)));
  }
}
