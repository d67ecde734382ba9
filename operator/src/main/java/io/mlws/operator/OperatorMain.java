package io.mlws.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the operator against the current kubeconfig context, or in-cluster as its pod. */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      LOG.error("invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    Config kubernetes = Config.autoConfigure(null);
    kubernetes.setUserAgent(OperatorWiring.USER_AGENT);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(kubernetes).build();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MlwsOperator operator = OperatorWiring.build(client, config, meters);
    HealthEndpoints health =
        HealthEndpoints.start(config.healthPort(), operator.runtimeInfo(), meters);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping");
                  operator.stop();
                  LOG.info("operator stopped");
                  health.close();
                  client.close();
                  LOG.info("stopped");
                },
                "mlws-shutdown"));
    LOG.info(
        "starting against {} (namespaces: {}, scorer image {}, leader election {}, health port {})",
        client.getMasterUrl(),
        config.watchedNamespaces().isEmpty() ? "all" : config.watchedNamespaces(),
        config.scorerImage(),
        config.leaderElection(),
        health.port());
    operator.start();
    Thread.currentThread().join(Duration.ofDays(36500).toMillis());
  }
}
