package io.mlws.scorer;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Stops a test's server without waiting for the test client's idle keep-alive connections (the
 * JDK's client cannot be closed on Java 17): the scorer's own 5 s allowance is for real clients.
 */
public final class TestServers {
  private TestServers() {}

  public static void stopNow(Server server) throws Exception {
    for (Connector connector : server.getConnectors()) {
      ((ServerConnector) connector).setShutdownIdleTimeout(50);
    }
    server.stop();
  }
}
