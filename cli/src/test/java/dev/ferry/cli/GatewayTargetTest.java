package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTargetTest {
  @TempDir Path data;

  private void devStackWrote() throws IOException {
    new StackFile("http://127.0.0.1:9999", "dev", "127.0.0.1:9092", "http://127.0.0.1:8081")
        .writeTo(data);
    Files.writeString(
        data.resolve(StackFile.TOKENS_FILE_NAME), "# tokens\nother:o-token\ndev:d-token\n");
  }

  @Test
  void shouldFindALocalFerryDevByItsDataFolder() throws IOException {
    devStackWrote();

    GatewayTarget target = GatewayTarget.resolve(null, null, Map.of(), data);

    assertThat(target.accountUrl()).isEqualTo("http://127.0.0.1:9999/client/v4/accounts/dev");
    assertThat(target.token()).isEqualTo("d-token");
    assertThat(target.source()).contains(StackFile.FILE_NAME);
  }

  @Test
  void shouldPreferOptionsToTheEnvironmentAndTheEnvironmentToTheDataFolder() throws IOException {
    devStackWrote();
    Map<String, String> env =
        Map.of(
            GatewayTarget.URL_ENV, "http://env:1",
            GatewayTarget.ACCOUNT_ENV, "other",
            GatewayTarget.TOKEN_ENV, "env-token");

    GatewayTarget fromEnv = GatewayTarget.resolve(null, null, env, data);
    GatewayTarget fromOptions = GatewayTarget.resolve("http://option:2/", "dev", env, data);

    assertThat(fromEnv.accountUrl()).isEqualTo("http://env:1/client/v4/accounts/other");
    assertThat(fromEnv.token()).isEqualTo("env-token");
    assertThat(fromOptions.accountUrl()).isEqualTo("http://option:2/client/v4/accounts/dev");
    assertThat(fromOptions.source()).isEqualTo("--url");
  }

  @Test
  void shouldTakeTheTokenOfTheChosenAccountFromTheDataFolder() throws IOException {
    devStackWrote();

    assertThat(GatewayTarget.resolve(null, "other", Map.of(), data).token()).isEqualTo("o-token");
  }

  @Test
  void shouldSayWhatToSetWhenNoAccountOrTokenIsKnown() {
    assertThatThrownBy(() -> GatewayTarget.resolve(null, null, Map.of(), data))
        .hasMessageContaining("--account")
        .hasMessageContaining(GatewayTarget.ACCOUNT_ENV);
    assertThatThrownBy(() -> GatewayTarget.resolve(null, "acme", Map.of(), data))
        .hasMessageContaining("no API token for account \"acme\"")
        .hasMessageContaining(GatewayTarget.TOKEN_ENV);
  }

  @Test
  void shouldRefuseAUrlThatIsNotHttpNamingWhereItCameFrom() {
    assertThatThrownBy(
            () ->
                GatewayTarget.resolve(
                    null, "a", Map.of(GatewayTarget.URL_ENV, "127.0.0.1:8787"), data))
        .hasMessageContaining("http://")
        .hasMessageContaining(GatewayTarget.URL_ENV);
  }

  @Test
  void shouldDefaultToTheDevGatewayPort() {
    GatewayTarget target =
        GatewayTarget.resolve(null, "a", Map.of(GatewayTarget.TOKEN_ENV, "t"), data);

    assertThat(target.url()).isEqualTo(GatewayTarget.DEFAULT_URL);
    assertThat(target.source()).isEqualTo("the default");
  }
}
