package io.mlws.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** Puts the operator together the same way for production and for the integration tests. */
public final class OperatorWiring {
  /** How the operator's requests appear in API server audit logs. */
  public static final String USER_AGENT = "mlws-operator";

  private OperatorWiring() {}

  public static MlwsOperator build(
      KubernetesClient client, OperatorConfig config, MeterRegistry meters) {
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
        });
    return new MlwsOperator(operator, leadership);
  }
}
