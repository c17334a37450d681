package dev.ferry.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer tokens the gateway accepts, each for one account. They come from {@code
 * gateway.auth.tokens} ("account:token" pairs, comma-separated) and from {@code
 * gateway.auth.tokens.file} (one "account:token" per line, {@code #} comments). An account may have
 * several tokens. Only SHA-256 digests are kept, so a token never sits in memory as text longer
 * than a request, and never reaches a log.
 *
 * <pre>{@code
 * AccessTokens tokens = AccessTokens.parse("acme:s3cret", Optional.empty());
 * tokens.accountOf("s3cret"); // Optional[acme]
 * }</pre>
 */
public final class AccessTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, String> accountByDigest;

  private AccessTokens(Map<String, String> accountByDigest) {
    this.accountByDigest = Map.copyOf(accountByDigest);
  }

  /** Reads the pairs and the file; an invalid entry fails with its position, never its token. */
  public static AccessTokens parse(String pairs, Optional<Path> file) {
    Map<String, String> byDigest = new HashMap<>();
    if (pairs != null && !pairs.isBlank()) {
      String[] entries = pairs.split(",");
      for (int i = 0; i < entries.length; i++) {
        add(byDigest, entries[i], GatewayConfig.AUTH_TOKENS + " entry " + (i + 1));
      }
    }
    if (file.isPresent()) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            GatewayConfig.AUTH_TOKENS_FILE + ": cannot read " + file.get() + ": " + e, e);
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          add(byDigest, line, file.get() + " line " + (i + 1));
        }
      }
    }
    return new AccessTokens(byDigest);
  }

  public boolean isEmpty() {
    return accountByDigest.isEmpty();
  }

  /** The account a token belongs to. */
  public Optional<String> accountOf(String token) {
    return Optional.ofNullable(accountByDigest.get(digest(token)));
  }

  /** The accounts that have at least one token. */
  public List<String> accounts() {
    return accountByDigest.values().stream().distinct().sorted().toList();
  }

  /** A new random token (256 bits, URL-safe). */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Makes sure a token file holds a token for each account, generating missing ones, and returns
   * the first token of each of those accounts. Used by the dev stack so that its token survives a
   * restart.
   */
  public static Map<String, String> ensureFile(Path file, List<String> accounts) {
    try {
      Map<String, String> found = new LinkedHashMap<>();
      List<String> lines =
          Files.exists(file)
              ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8))
              : new ArrayList<>(List.of("# account:token, one per line (ferry dev)"));
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (!line.startsWith("#") && colon > 0) {
          found.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
      }
      boolean changed = false;
      for (String account : accounts) {
        if (!found.containsKey(account)) {
          String token = generate();
          found.put(account, token);
          lines.add(account + ":" + token);
          changed = true;
        }
      }
      if (changed) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
      }
      ownerOnly(file);
      Map<String, String> result = new LinkedHashMap<>();
      accounts.forEach(a -> result.put(a, found.get(a)));
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Makes the file readable and writable by its owner only (rw-------): it holds bearer tokens. On
   * a file system without POSIX permissions this is left to the platform.
   */
  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }

  private static void add(Map<String, String> byDigest, String entry, String where) {
    int colon = entry.indexOf(':');
    if (colon <= 0 || colon == entry.length() - 1) {
      throw new IllegalArgumentException(where + " must look like account:token");
    }
    String account = entry.substring(0, colon).strip();
    String token = entry.substring(colon + 1).strip();
    dev.ferry.schemas.Names.checkAccount(account)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(where + ": " + problem);
            });
    if (token.length() < 16) {
      throw new IllegalArgumentException(where + ": a token must have at least 16 characters");
    }
    String previous = byDigest.putIfAbsent(digest(token), account);
    if (previous != null && !previous.equals(account)) {
      throw new IllegalArgumentException(where + ": the same token is given to two accounts");
    }
  }

  private static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
