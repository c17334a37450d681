package dev.ferry.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's own {@code keytool}: a
 * PKCS12 key store holding the key, and a trust store holding only the certificate, for servers and
 * clients in tests and local stacks to speak TLS with each other.
 *
 * @param keyStore the key and the certificate, for the server
 * @param trustStore the certificate alone, for Java clients
 * @param certificate the certificate as a PEM file, for other clients (librdkafka, Python's ssl)
 * @param password the password of both stores
 */
public record SelfSignedCertificate(
    Path keyStore, Path trustStore, Path certificate, String password) {
  private static final String ALIAS = "ferry";

  /** Makes one in {@code dir} (created if missing), valid for two days. */
  public static SelfSignedCertificate create(Path dir, String password) {
    try {
      Files.createDirectories(dir);
      Path keyStore = dir.resolve("server.p12");
      Path certificate = dir.resolve("server.crt");
      Path trustStore = dir.resolve("trust.p12");
      keytool(
          "-genkeypair",
          "-alias",
          ALIAS,
          "-keyalg",
          "RSA",
          "-keysize",
          "2048",
          "-validity",
          "2",
          "-dname",
          "CN=127.0.0.1",
          "-ext",
          "SAN=ip:127.0.0.1,dns:localhost",
          "-keystore",
          keyStore.toString(),
          "-storetype",
          "PKCS12",
          "-storepass",
          password);
      keytool(
          "-exportcert",
          "-rfc",
          "-alias",
          ALIAS,
          "-keystore",
          keyStore.toString(),
          "-storepass",
          password,
          "-file",
          certificate.toString());
      keytool(
          "-importcert",
          "-noprompt",
          "-alias",
          ALIAS,
          "-file",
          certificate.toString(),
          "-keystore",
          trustStore.toString(),
          "-storetype",
          "PKCS12",
          "-storepass",
          password);
      return new SelfSignedCertificate(keyStore, trustStore, certificate, password);
    } catch (IOException e) {
      throw new IllegalStateException("cannot make a certificate in " + dir, e);
    }
  }

  private static void keytool(String... args) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }
}
