package dev.ferry.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which gateway, account and token a command uses. Each comes from the first of: the option, the
 * environment ({@code FERRY_URL}, {@code FERRY_ACCOUNT}, {@code FERRY_API_TOKEN}), what a {@code
 * ferry dev} started in the same folder left in its data folder, and the default ({@code
 * http://127.0.0.1:8787}; no default account or token). {@code source} says where the URL came
 * from, for error messages.
 */
record GatewayTarget(String url, String account, String token, String source) {
  static final String URL_ENV = "FERRY_URL";
  static final String ACCOUNT_ENV = "FERRY_ACCOUNT";
  static final String TOKEN_ENV = "FERRY_API_TOKEN";
  static final String DEFAULT_URL = "http://127.0.0.1:8787";

  /** The account's API root, e.g. {@code http://127.0.0.1:8787/client/v4/accounts/dev}. */
  String accountUrl() {
    return url.replaceAll("/+$", "") + "/client/v4/accounts/" + account;
  }

  /** Resolves the target, or fails with a message that says what to set. */
  static GatewayTarget resolve(
      String urlOption, String accountOption, Map<String, String> env, Path dataDir) {
    Optional<StackFile> stack = StackFile.readFrom(dataDir);
    String url;
    String source;
    if (urlOption != null) {
      url = urlOption;
      source = "--url";
    } else if (present(env.get(URL_ENV))) {
      url = env.get(URL_ENV);
      source = URL_ENV;
    } else if (stack.isPresent()) {
      url = stack.get().gatewayUrl();
      source = dataDir.resolve(StackFile.FILE_NAME) + " (written by ferry dev)";
    } else {
      url = DEFAULT_URL;
      source = "the default";
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException(
          "the gateway URL must start with http:// or https://, got \""
              + url
              + "\" from "
              + source);
    }
    String account =
        accountOption != null
            ? accountOption
            : present(env.get(ACCOUNT_ENV))
                ? env.get(ACCOUNT_ENV)
                : stack.map(StackFile::account).orElse(null);
    if (account == null) {
      throw new IllegalArgumentException(
          "which account? Pass --account or set " + ACCOUNT_ENV + " (ferry dev serves \"dev\")");
    }
    String token =
        present(env.get(TOKEN_ENV))
            ? env.get(TOKEN_ENV)
            : tokenFromFile(dataDir.resolve(StackFile.TOKENS_FILE_NAME), account).orElse(null);
    if (token == null) {
      throw new IllegalArgumentException(
          "no API token for account \""
              + account
              + "\": set "
              + TOKEN_ENV
              + " (ferry dev keeps its tokens in "
              + dataDir.resolve(StackFile.TOKENS_FILE_NAME)
              + ")");
    }
    return new GatewayTarget(url, account, token, source);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  /** The first token of the account in a file of "account:token" lines. */
  private static Optional<String> tokenFromFile(Path file, String account) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .map(String::strip)
          .filter(line -> line.startsWith(account + ":"))
          .map(line -> line.substring(account.length() + 1))
          .findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
