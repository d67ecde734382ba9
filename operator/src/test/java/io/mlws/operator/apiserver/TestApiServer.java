package io.mlws.operator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * An in-process Kubernetes API server for the integration tests: the fabric8 CRUD mock behind
 * {@link HonestDispatcher}, on 127.0.0.1 over plain HTTP, with our CRD installed.
 *
 * <p>What only a real kube-apiserver adds, and these tests therefore do not cover: schema and CEL
 * validation and defaulting at admission (see CrdAdmissionTest for those, offline), merging of
 * keyed lists in server-side apply, conflict detection between field managers, garbage collection
 * through owner references, and the Deployment controller (tests write Deployment status by hand).
 */
public final class TestApiServer implements AutoCloseable {
  /** The CRD as users install it: the committed file through its kustomization. */
  public static final Path CRD_KUSTOMIZATION = Path.of("../crds/manifests");

  public static final String NAMESPACE = "test";

  /** The mock logs every request at INFO; held here because JUL keeps loggers only weakly. */
  private static final java.util.logging.Logger MOCK_LOG = quietMockLog();

  private KubernetesMockServer server;
  private final HonestDispatcher dispatcher;
  private final KubernetesClient client;

  private TestApiServer(KubernetesMockServer server, HonestDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.client = server.createClient();
  }

  public static TestApiServer start() {
    try {
      String crdYaml = io.mlws.operator.Kubectl.kustomize(CRD_KUSTOMIZATION);
      JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(crdYaml);
      HonestDispatcher dispatcher = new HonestDispatcher(crd);
      KubernetesMockServer server =
          new KubernetesMockServer(
              new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
      server.init(InetAddress.getLoopbackAddress(), 0);
      TestApiServer api = new TestApiServer(server, dispatcher);
      api.client
          .resource(
              api.client
                  .getKubernetesSerialization()
                  .unmarshal(crdYaml, CustomResourceDefinition.class))
          .create();
      api.client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
      return api;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static java.util.logging.Logger quietMockLog() {
    java.util.logging.Logger logger =
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  public KubernetesClient client() {
    return client;
  }

  /** Every write request received so far, as "METHOD path?query". */
  public List<String> writes() {
    return List.copyOf(dispatcher.writes());
  }

  /** Every request received so far, with the verb and resource RBAC would check. */
  public List<ApiRequest> requests() {
    return List.copyOf(dispatcher.requests());
  }

  /** A client that identifies itself as the operator does in production. */
  public KubernetesClient operatorClient() {
    return server.createClient(
        b ->
            b.editOrNewConfig()
                .withUserAgent(io.mlws.operator.OperatorWiring.USER_AGENT)
                .endConfig());
  }

  /** Faults to inject into the operator's requests. */
  public ApiFaults faults() {
    return dispatcher.faults();
  }

  /**
   * Stops the HTTP server and starts it again on the same port with the same stored objects: every
   * watch connection drops, as when a real API server restarts, and clients must reconnect.
   */
  public void restartDroppingWatches() {
    int port = server.getPort();
    server.destroy();
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), port);
  }

  public int port() {
    return server.getPort();
  }

  /** A kubeconfig for kubectl pointing at this server. */
  public Path writeKubeconfig(Path directory) throws IOException {
    Path file = directory.resolve("kubeconfig");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: http://127.0.0.1:%d
        users:
        - name: test
          user:
            token: test
        contexts:
        - name: test
          context:
            cluster: test
            user: test
            namespace: %s
        current-context: test
        """
            .formatted(port(), NAMESPACE));
    return file;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
