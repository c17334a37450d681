package dev.ferry.standalone;

import dev.ferry.gateway.GatewayConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A gateway run as a process of its own for {@link ReadModelBench}: started with a heap limit,
 * timed to ready, measured, stopped or killed, and started again on the same state.
 */
final class BenchGateway implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Map<String, String> settings;
  private final String heap;
  private final List<String> jvmOptions;
  private final int samples;
  private final Path dir;
  private final int port;
  private final String base;
  private Process process;
  private int starts;

  BenchGateway(
      Map<String, String> settings, String heap, List<String> jvmOptions, int samples, Path dir)
      throws IOException {
    this.samples = samples;
    this.settings = settings;
    this.heap = heap;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.dir = dir;
    try (ServerSocket socket = new ServerSocket(0)) {
      this.port = socket.getLocalPort();
    }
    this.base = "http://127.0.0.1:" + port;
  }

  /** Starts the process and returns the seconds until /readyz answered 200. */
  double start(String what) throws Exception {
    Path log = dir.resolve("gateway-" + ++starts + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp", System.getProperty("java.class.path"), FerryCommand.class.getName(), "gateway"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    settings.forEach((key, value) -> builder.environment().put(envName(key), value));
    builder.environment().put(envName(GatewayConfig.PORT), Integer.toString(port));
    long t0 = System.nanoTime();
    process = builder.start();
    System.out.printf("gateway on %s (log %s) ...%n", what, log);
    long nextNote = System.nanoTime() + 5_000_000_000L;
    double listening = -1;
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the gateway exited with " + process.exitValue() + "; see " + log);
      }
      HttpResponse<String> ready = tryGet("/readyz");
      if (ready != null && listening < 0) {
        listening = (System.nanoTime() - t0) / 1e9;
      }
      if (ready != null && ready.statusCode() == 200) {
        break;
      }
      if (System.nanoTime() > nextNote) {
        System.out.println("  " + (ready == null ? "starting" : progress(ready.body())));
        nextNote += 5_000_000_000L;
      }
      Thread.sleep(100); // polling an external process's readiness
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("  ready in %.1f s (answering HTTP after %.1f s)%n", seconds, listening);
    return seconds;
  }

  void createWorkflow(String name) throws Exception {
    HttpResponse<String> created =
        send(
            HttpRequest.newBuilder(URI.create(base + api() + "/" + name))
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"class_name\":\"Retained\",\"script_name\":\"bench\"}")));
    if (created.statusCode() / 100 != 2) {
      throw new IllegalStateException("creating the workflow: " + created.body());
    }
  }

  /** Heap used after a full GC (by jcmd), and the process's resident memory. */
  Map<String, Object> memory() throws Exception {
    Map<String, Object> figures = new LinkedHashMap<>();
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (Files.isExecutable(jcmd)) {
      new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    }
    double heapUsed = metric("jvm_memory_used_bytes", "area=\"heap\"");
    double heapMax = metric("jvm_memory_max_bytes", "area=\"heap\"");
    long rss = rssBytes();
    double store = metric("ferry_read_model_store_bytes", "");
    System.out.printf(
        "memory: heap used %.0f MB after %s (limit %.0f MB), RSS %d MB, store on disk %.0f MB%n",
        heapUsed / (1 << 20),
        Files.isExecutable(jcmd) ? "a full GC" : "no forced GC (no jcmd)",
        heapMax / (1 << 20),
        rss >> 20,
        store / (1 << 20));
    figures.put("heap_used_mb", Math.round(heapUsed / (1 << 20)));
    figures.put("rss_mb", rss >> 20);
    figures.put("store_mb", Math.round(store / (1 << 20)));
    return figures;
  }

  /** Latencies of a GET of one instance and of listing pages, in ms. */
  Map<String, Object> queries(String workflow, int instances) throws Exception {
    Map<String, Object> figures = new LinkedHashMap<>();
    String instancesUrl = base + api() + "/" + workflow + "/instances";
    figures.put("health_ms", timed("GET /health (the HTTP floor)", () -> base + "/health"));
    figures.put(
        "get_instance_ms",
        timed(
            "GET one instance",
            () -> instancesUrl + "/r-" + ThreadLocalRandom.current().nextInt(instances)));
    figures.put("list_first_page_ms", timed("list, first page", () -> instancesUrl));
    figures.put(
        "list_waiting_page_ms",
        timed("list, status=waiting", () -> instancesUrl + "?status=waiting"));
    figures.put("list_page_100_ms", timed("list, page 100", () -> instancesUrl + "?page=100"));
    return figures;
  }

  long recordsRead() throws Exception {
    return (long) metric("ferry_read_model_records_read_total", "");
  }

  /** SIGTERM, and waits for the process to end. */
  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  /** SIGKILL: no shutdown of any kind. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      stop();
    }
  }

  private Map<String, Object> timed(String what, java.util.function.Supplier<String> url)
      throws Exception {
    for (int i = 0; i < samples / 2; i++) {
      send(HttpRequest.newBuilder(URI.create(url.get())).GET()); // so the JIT has compiled the path
    }
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url.get())).GET());
      ms.add((System.nanoTime() - t0) / 1e6);
      if (response.statusCode() != 200) {
        throw new IllegalStateException(what + ": " + response.body());
      }
    }
    Collections.sort(ms);
    double p50 = ms.get(ms.size() / 2);
    double p99 = ms.get((int) Math.ceil(ms.size() * 0.99) - 1);
    System.out.printf("  %s: p50 %.2f ms, p99 %.2f ms (%d requests)%n", what, p50, p99, samples);
    return Map.of("p50", Math.round(p50 * 100) / 100.0, "p99", Math.round(p99 * 100) / 100.0);
  }

  private double metric(String name, String label) throws Exception {
    double sum = 0;
    boolean found = false;
    for (String line :
        send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET()).body().split("\n")) {
      if (line.startsWith(name)
          && (line.length() == name.length() || " {".indexOf(line.charAt(name.length())) >= 0)
          && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    if (!found) {
      throw new IllegalStateException("the gateway's /metrics has no " + name);
    }
    return sum;
  }

  private long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  private static String progress(String readyzBody) {
    int at = readyzBody.indexOf("reading its views (");
    return at < 0 ? "not ready yet" : readyzBody.substring(at, readyzBody.indexOf(')', at) + 1);
  }

  private String api() {
    return "/client/v4/accounts/" + ReadModelBench.ACCOUNT + "/workflows";
  }

  private HttpResponse<String> tryGet(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request
            .header("Authorization", "Bearer bench-token-0123456789")
            .header("content-type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String envName(String key) {
    return "FERRY_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }
}
