package dev.ferry.worker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.UUID;

/**
 * A workflow version's id: a UUID derived from the bytes of the workflow's class file and those of
 * its member classes. The same build always gives the same id on every worker; a changed class
 * gives a new one. Classes without a readable class file (generated at run time) fall back to the
 * class name.
 */
public final class VersionIds {
  private VersionIds() {}

  public static String of(String workflow, Class<?> type) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    digest.update(workflow.getBytes(StandardCharsets.UTF_8));
    add(digest, type);
    Class<?>[] members = type.getDeclaredClasses();
    Arrays.sort(members, Comparator.comparing(Class::getName));
    for (Class<?> member : members) {
      add(digest, member);
    }
    byte[] hash = digest.digest();
    // Shaped as a name-based (version 5 style) UUID so clients that parse ids accept it.
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    long high = 0;
    long low = 0;
    for (int i = 0; i < 8; i++) {
      high = (high << 8) | (hash[i] & 0xff);
      low = (low << 8) | (hash[i + 8] & 0xff);
    }
    return new UUID(high, low).toString();
  }

  private static void add(MessageDigest digest, Class<?> type) {
    digest.update(type.getName().getBytes(StandardCharsets.UTF_8));
    String resource = "/" + type.getName().replace('.', '/') + ".class";
    try (InputStream in = type.getResourceAsStream(resource)) {
      if (in != null) {
        digest.update(in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
