package dev.ferry.gateway.internal;

import dev.ferry.schemas.config.StoreFile;
import io.javalin.config.JavalinConfig;
import java.nio.file.Files;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Makes a Javalin server answer HTTPS only, with the key and certificate of a key store: Javalin
 * opens its plain connector only when none is configured, so this one is the server's only port.
 */
public final class HttpsConnector {
  private HttpsConnector() {}

  /** Serves on {@code host:port} (0: any free port) over TLS with {@code keyStore}. */
  public static void install(JavalinConfig config, String host, int port, StoreFile keyStore) {
    if (!Files.isReadable(keyStore.location())) {
      throw new IllegalArgumentException(
          keyStore.setting() + ": no readable key store at " + keyStore.location());
    }
    config.jetty.addConnector(
        (server, http) -> {
          SslContextFactory.Server tls = new SslContextFactory.Server();
          tls.setKeyStorePath(keyStore.location().toString());
          tls.setKeyStorePassword(keyStore.password());
          tls.setKeyStoreType(keyStore.type());
          ServerConnector connector =
              new ServerConnector(server, tls, new HttpConnectionFactory(http));
          connector.setHost(host);
          connector.setPort(port);
          return connector;
        });
  }
}
