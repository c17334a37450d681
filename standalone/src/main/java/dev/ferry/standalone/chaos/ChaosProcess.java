package dev.ferry.standalone.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One part of the chaos cluster as a JVM process of its own: started, probed until ready, killed
 * with SIGKILL and started again with the same command, environment and data. Every start writes a
 * log of its own ({@code <name>-<n>.log}) so the output of a killed incarnation is kept.
 */
final class ChaosProcess {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** How a part says it is ready: an HTTP URL that answers 200, or a check of the driver's. */
  interface Readiness {
    boolean ready() throws Exception;

    static Readiness http(String url) {
      return http(url, null);
    }

    /** 200 from {@code url}, asked with {@code bearer} as the API token (null: none). */
    static Readiness http(String url, String bearer) {
      return () -> {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2));
        if (bearer != null) {
          request.header("Authorization", "Bearer " + bearer);
        }
        try {
          return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode()
              == 200;
        } catch (IOException e) {
          return false; // not listening (yet)
        }
      };
    }

    default Readiness and(Readiness next) {
      return () -> ready() && next.ready();
    }
  }

  private final String name;
  private final List<String> arguments;
  private final Map<String, String> environment = new java.util.LinkedHashMap<>();
  private final Path logs;
  private final Readiness readiness;
  private Process process;
  private int starts;

  ChaosProcess(
      String name,
      String classpath,
      List<String> jvmOptions,
      List<String> arguments,
      Map<String, String> environment,
      Path logs,
      Readiness readiness) {
    this.name = name;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(dev.ferry.standalone.FerryCommand.class.getName());
    command.addAll(arguments);
    this.arguments = List.copyOf(command);
    this.environment.putAll(environment);
    this.logs = logs;
    this.readiness = readiness;
  }

  /** Changes a variable for the next start. */
  void environment(String name, String value) {
    environment.put(name, value);
  }

  String name() {
    return name;
  }

  void start() throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(arguments)
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve(name + "-" + ++starts + ".log").toFile());
    builder.environment().putAll(environment);
    process = builder.start();
  }

  /** Waits until the part is ready; fails naming its log when it exits or takes too long. */
  void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!readiness.ready()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + " while starting; see " + log());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + " was not ready within " + timeout.toSeconds() + " s; see " + log());
      }
      Thread.sleep(100); // polling another process's readiness: there is nothing to wait on
    }
  }

  /** Whether it says it is ready now (false while it is not listening). */
  boolean ready() {
    try {
      return readiness.ready();
    } catch (Exception e) {
      return false;
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no flush, no leaving any group. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, and waits (bounded) for the process to end; false if it had to be killed. */
  boolean stop(Duration grace) throws InterruptedException {
    if (!alive()) {
      return true;
    }
    process.destroy();
    if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    kill();
    return false;
  }

  Path log() {
    return logs.resolve(name + "-" + starts + ".log");
  }
}
