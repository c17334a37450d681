package dev.ferry.standalone;

import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.worker.WorkerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Python worker process ({@code python3 -m ferry.worker}) beside a stack: a worker group of its
 * own hosting Python workflows, started through {@code python/bin/ferry-python}, which finds an
 * interpreter that has the Python packages.
 */
public final class PythonWorker implements AutoCloseable {
  /** The worker group of the Python examples {@code ferry dev} hosts. */
  public static final String EXAMPLES_GROUP = "ferry-python-workers";

  /** The Python examples: workflow name → {@code module:Class}. */
  public static final Map<String, String> EXAMPLES = examples();

  /** Where the Python package lives: {@code FERRY_PYTHON_HOME}, else {@code ./python}. */
  static final String HOME_VARIABLE = "FERRY_PYTHON_HOME";

  private final Process process;
  private final Path log;
  private final String adminUrl;

  private PythonWorker(Process process, Path log, String adminUrl) {
    this.process = process;
    this.log = log;
    this.adminUrl = adminUrl;
  }

  private static Map<String, String> examples() {
    Map<String, String> examples = new LinkedHashMap<>();
    examples.put("py-three-steps", "ferry.examples.workflows:ThreeSteps");
    examples.put("py-sleepy", "ferry.examples.workflows:Sleepy");
    examples.put("py-approval", "ferry.examples.workflows:Approval");
    examples.put("py-dag", "ferry.examples.workflows:Dag");
    examples.put("py-refusing", "ferry.examples.workflows:Refusing");
    return java.util.Collections.unmodifiableMap(examples);
  }

  /** How to start one: the group, what it hosts and where the stack is. */
  public record Options(
      String group,
      String workerId,
      List<String> accounts,
      Map<String, String> workflows,
      String bootstrapServers,
      String registryUrl,
      Map<String, String> environment,
      Path log) {}

  /** The Python package folder ({@code python/} with {@code bin/ferry-python}), if there is one. */
  public static Optional<Path> home() {
    String named = System.getenv(HOME_VARIABLE);
    Path home = named == null || named.isBlank() ? Path.of("python") : Path.of(named);
    return Files.isRegularFile(launcher(home))
        ? Optional.of(home.toAbsolutePath())
        : Optional.empty();
  }

  private static Path launcher(Path home) {
    return home.resolve("bin").resolve("ferry-python");
  }

  /**
   * Why Python workers cannot start here (no package folder, or no interpreter with the packages,
   * with what to install), or empty when they can.
   */
  public static Optional<String> unavailable(Optional<Path> home) {
    if (home.isEmpty()) {
      return Optional.of(
          "no python/ folder here (run from the Ferry checkout, or set " + HOME_VARIABLE + ")");
    }
    try {
      Process check =
          new ProcessBuilder("bash", launcher(home.get()).toString(), "-c", "pass")
              .redirectErrorStream(true)
              .start();
      String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!check.waitFor(30, TimeUnit.SECONDS)) {
        check.destroyForcibly();
        return Optional.of("checking the Python interpreter took longer than 30 s");
      }
      return check.exitValue() == 0 ? Optional.empty() : Optional.of(said.strip());
    } catch (IOException e) {
      return Optional.of("cannot run bash: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  /**
   * Starts a worker process; its output goes to {@code options.log()}. Its admin port (/metrics,
   * /readyz) is a free port picked here unless {@code options.environment()} sets one.
   */
  public static PythonWorker start(Path home, Options options) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(launcher(home).toString());
    command.addAll(List.of("-m", "ferry.worker", "--group", options.group()));
    options
        .workflows()
        .forEach((name, target) -> command.addAll(List.of("--workflow", name + "=" + target)));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put(FerryConfig.envName(FerryConfig.KAFKA_BOOTSTRAP_SERVERS), options.bootstrapServers());
    env.put(FerryConfig.envName(FerryConfig.SCHEMA_REGISTRY_URL), options.registryUrl());
    env.put(FerryConfig.envName(WorkerConfig.ACCOUNTS), String.join(",", options.accounts()));
    env.put(FerryConfig.envName(WorkerConfig.WORKER_ID), options.workerId());
    String adminPortVariable = FerryConfig.envName(WorkerConfig.ADMIN_PORT);
    env.put(adminPortVariable, String.valueOf(freePort()));
    env.putAll(options.environment());
    int adminPort = Integer.parseInt(env.get(adminPortVariable));
    Files.createDirectories(options.log().toAbsolutePath().getParent());
    builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(options.log().toFile()));
    return new PythonWorker(
        builder.start(), options.log(), adminPort < 0 ? null : "http://127.0.0.1:" + adminPort);
  }

  /**
   * A port free at this moment. Another process could take it before the worker binds it; the
   * worker then says so in its log and exits, naming the setting.
   */
  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Where its admin port answers ({@code /metrics}, {@code /readyz}), or null without one. */
  public String adminUrl() {
    return adminUrl;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** Ends the process as a crash would (SIGKILL): no goodbye, its runs are lost mid-step. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Stops it cleanly (SIGTERM: it withdraws its presence and leaves its group). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(Duration.ofSeconds(15).toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
