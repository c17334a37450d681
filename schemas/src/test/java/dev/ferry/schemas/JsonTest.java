package dev.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** JSON is refused rather than silently altered. */
class JsonTest {
  @Test
  void shouldRefuseDuplicateKeys() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Duplicate field 'a'");
  }

  @Test
  void shouldRefuseAnythingAfterTheValue() {
    assertThatThrownBy(() -> Json.parse("{\"params\":{}}xyz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void shouldKeepEveryDigitOfNumbers() {
    assertThat(Json.write(Json.parse("{\"big\":1e400}"))).isEqualTo("{\"big\":1E+400}");
    assertThat(Json.write(Json.parse("0.12345678901234567890123456789")))
        .isEqualTo("0.12345678901234567890123456789");
    assertThat(Json.write(Json.parse("123456789012345678901234567890")))
        .isEqualTo("123456789012345678901234567890");
  }

  @Test
  void shouldRefuseUnpairedSurrogatesWrittenAsEscapesOrCharacters() {
    assertThatThrownBy(() -> Json.parse("\"\\ud800\""))
        .hasMessageContaining("unpaired UTF-16 surrogate");
    assertThatThrownBy(() -> Json.parse("\"x\\udc00\"")).hasMessageContaining("surrogate");
    assertThatThrownBy(() -> Json.parse("\"" + '\ud800' + "\"")).hasMessageContaining("surrogate");
  }

  @Test
  void shouldAcceptPairedSurrogatesAndEscapedBackslashes() {
    assertThat(Json.parse("\"\\ud83d\\ude00\"").asText()).isEqualTo("\ud83d\ude00");
    assertThat(Json.parse("\"\ud83d\ude00\"").asText()).isEqualTo("\ud83d\ude00");
    assertThat(Json.parse("\"\\\\ud800\"").asText()).isEqualTo("\\ud800");
  }
}
