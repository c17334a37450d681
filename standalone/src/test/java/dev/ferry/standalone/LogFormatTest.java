package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ops.LogContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The launcher's logging configuration ({@code logback.xml}), in both of its formats. */
class LogFormatTest {
  /** What one INFO line about a step attempt looks like with {@code FERRY_LOG_FORMAT=format}. */
  private static String logLine(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter()); // the one LogContext writes to
    context.putProperty("FERRY_LOG_FORMAT", format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
      try (LogContext.Scope instance = LogContext.instance("acct/orders/o-7");
          LogContext.Scope step = LogContext.step("charge", 1, 2)) {
        context.getLogger("dev.ferry.worker.Test").info("charging {}", 42);
      }
      context.stop();
    } finally {
      System.setOut(stdout);
    }
    return captured.toString(StandardCharsets.UTF_8).strip();
  }

  @Test
  void shouldWriteOneJsonObjectPerLineWithTheInstanceStepAndAttempt() throws Exception {
    String line = logLine("json");

    assertThat(line.lines()).hasSize(1);
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    assertThat(json.path("formattedMessage").asText()).isEqualTo("charging 42");
    JsonNode mdc = json.path("mdc");
    assertThat(mdc.path(LogContext.ACCOUNT).asText()).isEqualTo("acct");
    assertThat(mdc.path(LogContext.WORKFLOW).asText()).isEqualTo("orders");
    assertThat(mdc.path(LogContext.INSTANCE).asText()).isEqualTo("o-7");
    assertThat(mdc.path(LogContext.STEP).asText()).isEqualTo("charge#1");
    assertThat(mdc.path(LogContext.ATTEMPT).asText()).isEqualTo("2");
  }

  @Test
  void shouldKeepLogbacksOwnStatusLinesOffStdout() throws Exception {
    LoggerContext context = new LoggerContext();
    context.putProperty("FERRY_LOG_FORMAT", "text");
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));

    // The configuration warns (the json appender is not referenced); logback prints its status
    // on stdout, ahead of a command's output (./ferry config), unless a status listener is set.
    assertThat(
            ch.qos.logback.core.status.StatusUtil.contextHasStatusListener(context)
                && new ch.qos.logback.core.status.StatusUtil(context).getHighestLevel(0)
                    >= ch.qos.logback.core.status.Status.WARN)
        .isTrue();
    context.stop();
  }

  @Test
  void shouldNameTheInstanceStepAndAttemptInTheTextFormat() throws Exception {
    assertThat(logLine("text"))
        .endsWith("INFO  d.ferry.worker.Test - [acct/orders/o-7 charge#1 attempt 2] charging 42");
  }
}
