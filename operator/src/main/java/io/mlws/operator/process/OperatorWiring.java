package io.mlws.operator.process;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.Retry;
import io.micrometer.core.instrument.MeterRegistry;
import io.mlws.operator.EventPublisher;
import io.mlws.operator.MLWebServiceReconciler;
import io.mlws.operator.auth.RotationAsked;
import io.mlws.operator.config.OperatorConfig;
import java.time.Clock;
import java.util.Optional;

/** Puts the operator together the same way for production and for the integration tests. */
public final class OperatorWiring {
  /** How the operator's requests appear in API server audit logs. */
  public static final String USER_AGENT = "mlws-operator";

  private OperatorWiring() {}

  public static MlwsOperator build(
      KubernetesClient client, OperatorConfig config, MeterRegistry meters) {
    return build(client, config, meters, Optional.empty());
  }

  /**
   * With another retry than the reconciler's {@code @GradualRetry}: tests that count attempts need
   * not wait out the production backoff.
   */
  public static MlwsOperator build(
      KubernetesClient client, OperatorConfig config, MeterRegistry meters, Optional<Retry> retry) {
    LeadershipLoss leadership = new LeadershipLoss();
    Operator operator =
        new Operator(
            overrider -> {
              overrider
                  .withKubernetesClient(client)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(meters))
                  .withCloseClientOnStop(false);
              if (config.leaderElection()) {
                overrider.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        config.leaseName(),
                        config.leaseNamespace().orElse(null),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        null,
                        leadership.callbacks(),
                        false));
              }
            });
    var reconciler =
        new MLWebServiceReconciler(config, new EventPublisher(client), Clock.systemUTC());
    operator.register(
        reconciler,
        override -> {
          if (!config.watchedNamespaces().isEmpty()) {
            override.settingNamespaces(config.watchedNamespaces());
          }
          retry.ifPresent(override::withRetry);
          // Generation-aware, and also woken by a key rotation annotation (RotationAsked).
          override.withGenerationAware(false).withOnUpdateFilter(new RotationAsked());
        });
    return new MlwsOperator(operator, leadership);
  }
}
