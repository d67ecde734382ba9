package io.mlws.operator.process;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mlws.operator.ApiRefusal;
import io.mlws.operator.config.OperatorConfig;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the operator against the current kubeconfig context, or in-cluster as its pod. */
public final class OperatorMain {
  /**
   * As long as the API server itself gives a request (its --request-timeout, one minute). A client
   * that gives up sooner sends the request again while the server may still complete the first: on
   * a busy server a Service's create can take ten seconds (its cluster IP is allocated first), and
   * the create sent again is refused with 409, as if someone else had changed the object.
   */
  static final int API_REQUEST_TIMEOUT_MILLIS = 60_000;

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    try {
      // Before the first logger exists: logback.xml reads the appender from this property.
      System.setProperty(
          LogFormat.APPENDER_PROPERTY, LogFormat.appender(System.getenv("MLWS_LOG_FORMAT")));
    } catch (IllegalArgumentException e) {
      System.err.println("invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logger log = LoggerFactory.getLogger(OperatorMain.class);
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      log.error("invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    Config kubernetes = Config.autoConfigure(null);
    kubernetes.setUserAgent(OperatorWiring.USER_AGENT);
    Optional<String> unreachable = ApiServerProbe.unreachable(kubernetes);
    if (unreachable.isPresent()) {
      log.error(unreachable.get());
      System.exit(1);
      return;
    }
    kubernetes.setRequestTimeout(API_REQUEST_TIMEOUT_MILLIS);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(kubernetes).build();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MlwsOperator operator = OperatorWiring.build(client, config, meters);
    HealthEndpoints health =
        HealthEndpoints.start(config.healthPort(), operator.runtimeInfo(), meters);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping");
                  operator.stop();
                  log.info("operator stopped");
                  health.close();
                  client.close();
                  log.info("stopped");
                },
                "mlws-shutdown"));
    log.info(
        "starting against {} (namespaces: {}, scorer image {}, leader election {}, health port {})",
        client.getMasterUrl(),
        config.watchedNamespaces().isEmpty() ? "all" : config.watchedNamespaces(),
        config.scorerImage(),
        config.leaderElection(),
        health.port());
    try {
      operator.start();
    } catch (RuntimeException e) {
      // E.g. an informer that cannot sync: without this the JVM would live on, doing nothing.
      log.error("could not start: {}", ApiRefusal.describe(e), e);
      System.exit(1);
    }
    Thread.currentThread().join(Duration.ofDays(36500).toMillis());
  }
}
