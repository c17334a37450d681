package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.registry.RegistryConfig;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.worker.WorkerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code docker/compose.yaml} and {@code docker/Dockerfile}: valid for Debian's docker-compose
 * (images cannot be pulled here, so the file is validated, not run), and naming only settings and
 * commands Ferry has.
 */
class ComposeFileTest {
  private static final Path DOCKER = Path.of("..", "docker").toAbsolutePath().normalize();
  private static final Path COMPOSE = DOCKER.resolve("compose.yaml");
  private static final Map<String, String> TOKENS =
      Map.of("FERRY_GATEWAY_AUTH_TOKENS", "default:a-token-long-enough-1234");

  /** What docker-compose said, and its exit code. */
  private record Run(int exit, String output) {}

  private static Run compose(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker-compose", "-f", COMPOSE.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("FERRY_GATEWAY_AUTH_TOKENS");
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          "docker-compose is needed to validate docker/compose.yaml: apt-get install -y"
              + " docker-compose (.ci/run installs it)",
          e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("docker-compose finished").isTrue();
    return new Run(process.exitValue(), output);
  }

  @Test
  void shouldBeAValidComposeFileOnceTheGatewayIsGivenItsTokens() throws Exception {
    Run run = compose(TOKENS, "config", "-q");

    assertThat(run.exit()).as(run.output()).isZero();
  }

  @Test
  void shouldRefuseToStartWithoutApiTokensRatherThanWithADefaultOne() throws Exception {
    Run run = compose(Map.of(), "config", "-q");

    assertThat(run.exit()).isNotZero();
    assertThat(run.output()).contains("set FERRY_GATEWAY_AUTH_TOKENS=default:");
  }

  @Test
  void shouldHaveEveryPartAHealthcheckAndTheStateOnVolumes() throws Exception {
    Run run = compose(TOKENS, "config");

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("services:");
    for (String service :
        List.of("kafka", "registry", "orchestrator", "worker", "python-worker", "gateway")) {
      String block = serviceBlock(run.output(), service);
      assertThat(block).as(service).contains("healthcheck:");
      if (!service.equals("kafka")) {
        assertThat(block).as(service + " probes its readiness").contains("/readyz");
      }
    }
    assertThat(serviceBlock(run.output(), "orchestrator"))
        .contains("- orchestrator-state:/var/lib/ferry/orchestrator:rw");
    assertThat(serviceBlock(run.output(), "gateway"))
        .contains("- gateway-state:/var/lib/ferry/gateway:rw");
    assertThat(serviceBlock(run.output(), "kafka")).contains("- kafka-data:/var/lib/kafka/data:rw");
  }

  @Test
  void shouldNameOnlyVariablesAndCommandsFerryKnows() throws Exception {
    Set<String> known = new HashSet<>();
    Stream.of(
            OrchestratorConfig.definition(),
            WorkerConfig.definition(),
            GatewayConfig.definition(),
            RegistryConfig.definition())
        .forEach(def -> def.names().forEach(key -> known.add(FerryConfig.envName(key))));
    Set<String> unknown = new TreeSet<>();
    for (Path file : List.of(COMPOSE, DOCKER.resolve("Dockerfile"))) {
      Matcher variable = Pattern.compile("FERRY_[A-Z0-9_]+").matcher(Files.readString(file));
      while (variable.find()) {
        String name = variable.group();
        if (!known.contains(name) && !name.startsWith("FERRY_KAFKA_")) {
          unknown.add(name);
        }
      }
    }
    assertThat(unknown).as("FERRY_* variables no part reads").isEmpty();

    Set<String> commands = FerryCommand.commandLine().getSubcommands().keySet();
    Matcher command =
        Pattern.compile("command: \\[\"([a-z-]+)\"").matcher(Files.readString(COMPOSE));
    List<String> used = new ArrayList<>();
    while (command.find()) {
      used.add(command.group(1));
    }
    assertThat(used).containsExactlyInAnyOrder("registry", "orchestrator", "worker", "gateway");
    assertThat(commands).containsAll(used);
  }

  /** The lines of one service in docker-compose's resolved output (two-space indented keys). */
  private static String serviceBlock(String resolved, String service) {
    int start = resolved.indexOf("\n  " + service + ":\n");
    assertThat(start).as("service " + service).isNotNegative();
    Matcher next = Pattern.compile("\n  [a-z-]+:\n").matcher(resolved);
    int end = next.find(start + 1) ? next.start() : resolved.length();
    return resolved.substring(start, end);
  }
}
