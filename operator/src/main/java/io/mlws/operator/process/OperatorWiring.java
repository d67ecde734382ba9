package io.mlws.operator.process;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.ReconcilerUtils;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.Retry;
import io.micrometer.core.instrument.MeterRegistry;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.EventPublisher;
import io.mlws.operator.MLWebServiceReconciler;
import io.mlws.operator.auth.RotationAsked;
import io.mlws.operator.cache.OwnFieldsOnlyStore;
import io.mlws.operator.config.OperatorConfig;
import java.time.Clock;
import java.util.Optional;

/** Puts the operator together the same way for production and for the integration tests. */
public final class OperatorWiring {
  /** How the operator's requests appear in API server audit logs. */
  public static final String USER_AGENT = "mlws-operator";

  /**
   * MLWebServices reconciled at once, and dependents applied at once across them. Each waits on the
   * API server most of its time, so a few per core keep the operator busy; JOSDK's default of 50
   * and 50 is a hundred thread stacks and as many objects in flight, and no faster.
   */
  static final int RECONCILE_THREADS = 16;

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
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(RECONCILE_THREADS)
                  .withConcurrentWorkflowExecutorThreads(RECONCILE_THREADS);
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
          // The controller's field manager is its name (JOSDK's default).
          override.withItemStore(
              new OwnFieldsOnlyStore<MLWebService>(ReconcilerUtils.getNameFor(reconciler)));
          // Generation-aware, and also woken by a key rotation annotation (RotationAsked).
          override.withGenerationAware(false).withOnUpdateFilter(new RotationAsked());
        });
    return new MlwsOperator(operator, leadership);
  }
}
