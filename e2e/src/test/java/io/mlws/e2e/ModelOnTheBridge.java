package io.mlws.e2e;

import com.sun.net.httpserver.HttpServer;
import io.mlws.operator.harness.LocalCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model file served over HTTP on the node's bridge, where the scorer pods fetch it: for models
 * the scorer image does not carry.
 */
final class ModelOnTheBridge implements AutoCloseable {
  private final HttpServer server;
  private final String uri;

  private ModelOnTheBridge(HttpServer server, String uri) {
    this.server = server;
    this.uri = uri;
  }

  static ModelOnTheBridge serve(Path model) throws IOException {
    String bridgeAddress = LocalCluster.shared().bridgeAddress();
    String path = "/" + model.getFileName();
    HttpServer server = HttpServer.create(new InetSocketAddress(bridgeAddress, 0), 8);
    server.createContext(
        path,
        exchange -> {
          exchange.sendResponseHeaders(200, Files.size(model));
          try (OutputStream body = exchange.getResponseBody()) {
            Files.copy(model, body);
          }
        });
    server.start();
    return new ModelOnTheBridge(
        server, "http://" + bridgeAddress + ":" + server.getAddress().getPort() + path);
  }

  /** The model's URL, for spec.model.uri. */
  String uri() {
    return uri;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
