package dev.ferry.schemas.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A key or trust store file, as TLS settings name one: where it is, its password, its type.
 *
 * @param setting the configuration key that named it, for messages
 * @param type {@code PKCS12} or {@code JKS}
 */
public record StoreFile(String setting, Path location, String password, String type) {
  /** The store types a setting may name. */
  public static final String[] TYPES = {"PKCS12", "JKS"};

  /** A TLS client context trusting exactly the certificates in this store; fails naming it. */
  public SSLContext trustingContext() {
    try (InputStream in = Files.newInputStream(location)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          setting + ": cannot read the " + type + " store " + location + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "StoreFile[" + setting + "=" + location + ", " + type + "]";
  }
}
