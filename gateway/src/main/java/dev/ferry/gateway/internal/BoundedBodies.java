package dev.ferry.gateway.internal;

import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentTooLargeResponse;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

/**
 * Bounds every request body as it is read. Javalin's {@code maxRequestSize} checks only the {@code
 * Content-Length} header, so a chunked body (which has none) would be read whole into memory
 * however large; here reading past the limit answers 413 whatever the framing.
 */
public final class BoundedBodies implements Filter {
  /** How much past the limit is read and dropped so the client sees the 413 (Tomcat: 2 MiB). */
  static final long SWALLOW_BYTES = 4L * 1024 * 1024;

  private final long maxBytes;

  private BoundedBodies(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Installs the bound on a Javalin server being configured. */
  public static void install(JavalinConfig javalin, long maxBytes) {
    javalin.http.maxRequestSize = maxBytes;
    javalin.jetty.modifyServletContextHandler(
        handler ->
            handler.addFilter(
                new FilterHolder(new BoundedBodies(maxBytes)),
                "/*",
                EnumSet.of(DispatcherType.REQUEST)));
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    chain.doFilter(new Bounded((HttpServletRequest) request, maxBytes), response);
  }

  private static final class Bounded extends HttpServletRequestWrapper {
    private final long maxBytes;
    private ServletInputStream stream;

    Bounded(HttpServletRequest request, long maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new CountingStream(super.getInputStream(), maxBytes);
      }
      return stream;
    }
  }

  private static final class CountingStream extends ServletInputStream {
    private final ServletInputStream in;
    private final long maxBytes;
    private long read;

    CountingStream(ServletInputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > maxBytes) {
        swallowRest();
        throw new ContentTooLargeResponse(
            "request body larger than " + maxBytes + " bytes", java.util.Map.of());
      }
    }

    /**
     * Reads and drops up to {@link #SWALLOW_BYTES} more of the body before the 413 goes out: a
     * server that closes the connection with a body still arriving makes TCP reset it, and the
     * client may lose the answer. Tomcat does the same (its maxSwallowSize); a body larger still is
     * cut off.
     */
    private void swallowRest() {
      byte[] scratch = new byte[64 * 1024];
      long swallowed = 0;
      try {
        int n;
        while (swallowed < SWALLOW_BYTES && (n = in.read(scratch, 0, scratch.length)) >= 0) {
          swallowed += n;
        }
      } catch (IOException e) {
        // the client went away: the answer is lost anyway
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
