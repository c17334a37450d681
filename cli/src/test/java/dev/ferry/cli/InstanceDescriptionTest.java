package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.client.InstanceDetails;
import org.junit.jupiter.api.Test;

/** The describe view from an answer of the API, as the gateway writes it. */
class InstanceDescriptionTest {
  private static final String RUNNING_WITH_A_FAILED_ATTEMPT =
      """
      {"status":"running","params":{"order":7},"trigger":{"source":"api"},"versionId":"v1",
       "queued":"2026-12-01T10:00:00Z","start":"2026-12-01T10:00:00.100Z","end":null,
       "success":null,"error":null,"output":null,"step_count":2,"rollback":null,"versions_run":["v1"],
       "steps":[
        {"type":"step","name":"reserve","start":"2026-12-01T10:00:00.200Z",
         "end":"2026-12-01T10:00:00.250Z","success":true,"output":{"held":true},
         "config":{"retries":{"limit":5,"delay":10000,"backoff":"exponential"},"timeout":600000},
         "attempts":[{"start":"2026-12-01T10:00:00.200Z","end":"2026-12-01T10:00:00.250Z",
                      "success":true,"error":null}]},
        {"type":"step","name":"charge","start":"2026-12-01T10:00:01Z","end":null,"success":null,
         "output":null,
         "config":{"retries":{"limit":5,"delay":10000,"backoff":"exponential"},"timeout":600000},
         "attempts":[
           {"start":"2026-12-01T10:00:01Z","end":"2026-12-01T10:00:02Z","success":false,
            "error":{"name":"Error","message":"card declined"}},
           {"start":"2026-12-01T10:00:12Z","end":"2026-12-01T10:00:13Z","success":false,
            "error":{"name":"Error","message":"card declined again"}}]},
        {"type":"sleep","name":"cool off","start":null,"end":null,"finished":false,"error":null}
       ]}
      """;

  private static InstanceDetails details() throws Exception {
    return InstanceDetails.from(new ObjectMapper().readTree(RUNNING_WITH_A_FAILED_ATTEMPT));
  }

  @Test
  void shouldShowWhenAFailingStepRetriesWithItsBackoffApplied() throws Exception {
    String view = InstanceDescription.render("orders", "o-7", details(), true, 5000);

    // Two attempts made, exponential from 10 s: the third starts 20 s after the second ended.
    assertThat(view).contains("Retries At:  2026-12-01 10:00:33.000 UTC");
    assertThat(view).contains("failed  Error: card declined again");
  }

  @Test
  void shouldListEveryStepWithItsOutcomeAndTheInstanceHeader() throws Exception {
    String view = InstanceDescription.render("orders", "o-7", details(), true, 5000);

    assertThat(view)
        .contains("Workflow Name:         orders")
        .contains("Instance Id:           o-7")
        .contains("Status:                running")
        .contains("Last Successful Step:  reserve")
        .contains("1. Step  reserve")
        .contains("Output:      {\"held\":true}")
        .contains("2. Step  charge")
        .contains("3. Sleep  cool off")
        .contains("Outcome:     sleeping");
  }

  @Test
  void shouldLeaveStepOutputsOutWhenAsked() throws Exception {
    String view = InstanceDescription.render("orders", "o-7", details(), false, 5000);

    assertThat(view)
        .doesNotContain("{\"held\":true}")
        .contains("Params:                {\"order\":7}");
  }
}
