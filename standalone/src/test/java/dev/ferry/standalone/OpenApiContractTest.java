package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.schemas.Json;
import org.junit.jupiter.api.Test;

/** The contract oracle itself: it must reject answers that differ from the document. */
class OpenApiContractTest {
  private static final String INSTANCE = "/client/v4/accounts/a/workflows/w/instances";

  private static Api.Response answer(String method, String path, int status, String body) {
    return new Api.Response(status, Json.parse(body), method, path);
  }

  @Test
  void shouldAcceptAnAnswerShapedAsDocumented() {
    assertThatCode(
            () ->
                OpenApiContract.assertConforms(
                    answer(
                        "POST",
                        INSTANCE,
                        201,
                        """
                        {"success":true,"errors":[],"messages":[],
                         "result":{"id":"i","status":"queued","version_id":"v","workflow_id":"w"}}
                        """)))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldRejectAnUndocumentedField() {
    assertThatThrownBy(
            () ->
                OpenApiContract.assertConforms(
                    answer(
                        "POST",
                        INSTANCE,
                        201,
                        """
                        {"success":true,"errors":[],"messages":[],
                         "result":{"id":"i","status":"queued","version_id":"v","workflow_id":"w",
                                   "surprise":1}}
                        """)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("surprise");
  }

  @Test
  void shouldRejectAnErrorEnvelopeWithoutErrors() {
    assertThatThrownBy(
            () ->
                OpenApiContract.assertConforms(
                    answer(
                        "GET",
                        INSTANCE + "/x",
                        404,
                        "{\"success\":false,\"errors\":[],\"messages\":[],\"result\":null}")))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void shouldPreferALiteralPathSegmentOverAParameter() {
    org.assertj.core.api.Assertions.assertThat(
            OpenApiContract.template("POST", INSTANCE + "/batch"))
        .contains("/client/v4/accounts/{account_id}/workflows/{workflow_name}/instances/batch");
  }
}
