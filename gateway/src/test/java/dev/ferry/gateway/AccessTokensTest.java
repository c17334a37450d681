package dev.ferry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokensTest {
  private static final String ACME = "acme-token-0123456789";
  private static final String BETA = "beta-token-0123456789";

  @Test
  void shouldMapEachTokenToItsAccountFromPairsAndFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens.txt");
    Files.writeString(file, "# comment\n\nbeta:" + BETA + "\nacme:second-acme-token-xyz\n");

    AccessTokens tokens = AccessTokens.parse("acme:" + ACME, Optional.of(file));

    assertThat(tokens.accountOf(ACME)).contains("acme");
    assertThat(tokens.accountOf("second-acme-token-xyz")).contains("acme");
    assertThat(tokens.accountOf(BETA)).contains("beta");
    assertThat(tokens.accountOf("unknown-token-0123456")).isEmpty();
    assertThat(tokens.accounts()).containsExactly("acme", "beta");
  }

  @Test
  void shouldRejectBadEntriesWithoutRepeatingTheToken() {
    assertThatThrownBy(() -> AccessTokens.parse("acme", Optional.empty()))
        .hasMessage("gateway.auth.tokens entry 1 must look like account:token");
    assertThatThrownBy(() -> AccessTokens.parse("acme:" + ACME + ",beta:short", Optional.empty()))
        .hasMessageContaining("entry 2")
        .hasMessageContaining("at least 16 characters")
        .hasMessageNotContaining("short");
    assertThatThrownBy(() -> AccessTokens.parse("a/b:" + ACME, Optional.empty()))
        .hasMessageContaining("entry 1");
    assertThatThrownBy(() -> AccessTokens.parse("acme:" + ACME + ",beta:" + ACME, Optional.empty()))
        .hasMessageContaining("two accounts")
        .hasMessageNotContaining(ACME);
  }

  @Test
  void shouldKeepGeneratedTokensOfADevFileAcrossCalls(@TempDir Path dir) {
    Path file = dir.resolve("dev-tokens.txt");

    Map<String, String> first = AccessTokens.ensureFile(file, List.of("dev"));
    Map<String, String> second = AccessTokens.ensureFile(file, List.of("dev", "other"));

    assertThat(second.get("dev")).isEqualTo(first.get("dev"));
    assertThat(second.get("other")).isNotEqualTo(first.get("dev")).hasSizeGreaterThan(40);
    AccessTokens tokens = AccessTokens.parse("", Optional.of(file));
    assertThat(tokens.accountOf(first.get("dev"))).contains("dev");
    assertThat(tokens.accountOf(second.get("other"))).contains("other");
  }

  @Test
  void shouldLetOnlyItsOwnerReadTheTokenFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("dev-tokens.txt");
    java.nio.file.Files.writeString(file, "# made readable by all\n");
    java.nio.file.Files.setPosixFilePermissions(
        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

    AccessTokens.ensureFile(file, List.of("dev"));

    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}
