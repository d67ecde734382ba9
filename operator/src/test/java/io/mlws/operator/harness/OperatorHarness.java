package io.mlws.operator.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.javaoperatorsdk.operator.processing.retry.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.process.MlwsOperator;
import io.mlws.operator.process.OperatorWiring;
import io.mlws.operator.telemetry.ConnectionStringSecrets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * The real operator, wired as in production, against the real local control plane: as its
 * ServiceAccount bound to the shipped deploy/rbac (the real authorizer decides), reconciling one
 * namespace of its own that the harness creates and deletes.
 */
public final class OperatorHarness implements AutoCloseable {
  public final LocalCluster cluster;
  public final String ns;
  public final KubernetesClient client;
  public final KubernetesClient operatorClient;
  public final MlwsOperator operator;
  private final Optional<Retry> retry;

  /** An operator whose every request goes through the proxy, which can then inject faults. */
  public static OperatorHarness throughProxy(String namespacePrefix, FaultProxy proxy) {
    return new OperatorHarness(
        namespacePrefix,
        OperatorConfig.defaults(),
        new KubernetesClientBuilder().withConfig(proxy.operatorConfig()).build(),
        Optional.empty());
  }

  /**
   * Through the proxy, retrying every 200 ms instead of the production backoff (0.5 s doubling):
   * for tests that count attempts, not intervals.
   */
  public static OperatorHarness throughProxyRetryingFast(String namespacePrefix, FaultProxy proxy) {
    return new OperatorHarness(
        namespacePrefix,
        OperatorConfig.defaults(),
        new KubernetesClientBuilder().withConfig(proxy.operatorConfig()).build(),
        Optional.of(
            new GenericRetry()
                .setInitialInterval(200)
                .setIntervalMultiplier(1)
                .withoutMaxAttempts()));
  }

  public OperatorHarness(String namespacePrefix, OperatorConfig config) {
    this(namespacePrefix, config, LocalCluster.shared().asOperator(), Optional.empty());
  }

  /** With the operator's own client, e.g. one that goes through a {@code FaultProxy}. */
  public OperatorHarness(
      String namespacePrefix, OperatorConfig config, KubernetesClient operatorClient) {
    this(namespacePrefix, config, operatorClient, Optional.empty());
  }

  private OperatorHarness(
      String namespacePrefix,
      OperatorConfig config,
      KubernetesClient operatorClient,
      Optional<Retry> retry) {
    cluster = LocalCluster.shared();
    ns = cluster.createNamespace(namespacePrefix);
    client = cluster.admin();
    this.operatorClient = operatorClient;
    this.retry = retry;
    operator = startOperator(operatorClient, config);
  }

  /** Starts another operator on this harness's namespace, e.g. a successor after a stop. */
  public MlwsOperator startOperator(KubernetesClient operatorClient, OperatorConfig config) {
    OperatorConfig scoped = config.withWatchedNamespaces(Set.of(ns));
    MlwsOperator started =
        OperatorWiring.build(operatorClient, scoped, new SimpleMeterRegistry(), retry);
    started.start();
    return started;
  }

  public MLWebService apply(String yaml) {
    MLWebService mlws = client.getKubernetesSerialization().unmarshal(yaml, MLWebService.class);
    mlws.getMetadata().setNamespace(ns);
    return client.resources(MLWebService.class).inNamespace(ns).resource(mlws).create();
  }

  public MLWebService mergePatch(String name, String json) {
    return client
        .resources(MLWebService.class)
        .inNamespace(ns)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }

  public MLWebService get(String name) {
    return client.resources(MLWebService.class).inNamespace(ns).withName(name).get();
  }

  public Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  /**
   * Write requests the operator's ServiceAccount made in this namespace, as the server audited
   * them.
   */
  public List<AuditLog.Entry> operatorWrites() {
    return new AuditLog(cluster.stateDir().resolve("logs/audit.log"))
        .writes(LocalCluster.OPERATOR_USER, ns);
  }

  /**
   * The operator's writes about some objects, taken once its writes about them have settled, after
   * {@code wake} gives it a reason to reconcile and a quiet window has passed. At steady state
   * there must be none: the window is a period to measure over, not a synchronisation.
   */
  public List<AuditLog.Entry> writesAfterWaking(
      Predicate<AuditLog.Entry> about, Runnable wake, Duration window) throws InterruptedException {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(2))
        .until(new CountSettled(() -> (int) operatorWrites().stream().filter(about).count()));
    int before = (int) operatorWrites().stream().filter(about).count();
    wake.run();
    Thread.sleep(window.toMillis());
    List<AuditLog.Entry> after = operatorWrites().stream().filter(about).toList();
    return after.subList(before, after.size());
  }

  /** True once a count has not moved between two polls. */
  private static final class CountSettled implements Callable<Boolean> {
    private final IntSupplier count;
    private int last = -1;

    CountSettled(IntSupplier count) {
      this.count = count;
    }

    @Override
    public Boolean call() {
      int now = count.getAsInt();
      boolean settled = now == last;
      last = now;
      return settled;
    }
  }

  /**
   * Waits until the resource has a condition of this type, status and reason; on time-out the
   * failure lists the conditions it had instead.
   */
  public io.fabric8.kubernetes.api.model.Condition awaitCondition(
      String name, String type, String status, String reason, Duration atMost) {
    await()
        .atMost(atMost)
        .untilAsserted(
            () -> {
              MLWebService mlws = get(name);
              List<io.fabric8.kubernetes.api.model.Condition> conditions =
                  mlws == null || mlws.getStatus() == null
                      ? List.of()
                      : mlws.getStatus().getConditions();
              assertThat(conditions)
                  .as("conditions of %s, waiting for %s=%s reason %s", name, type, status, reason)
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo(type);
                        assertThat(c.getStatus()).isEqualTo(status);
                        assertThat(c.getReason()).isEqualTo(reason);
                      });
            });
    return io.mlws.operator.status.StatusConditions.find(get(name).getStatus(), type).orElseThrow();
  }

  /**
   * The operator's writes to one object since {@code index} in the audit log (see {@link
   * #auditedSoFar()}): what the operator did to it, whatever controllers did meanwhile.
   */
  public List<AuditLog.Entry> operatorWritesTo(String resource, String name, int index) {
    return new AuditLog(cluster.stateDir().resolve("logs/audit.log"))
        .since(index).stream()
            .filter(e -> e.user().equals(LocalCluster.OPERATOR_USER) && e.isWrite())
            .filter(e -> ns.equals(e.namespace()))
            .filter(e -> e.resource().equals(resource) && e.name().equals(name))
            .toList();
  }

  /** How many entries the audit log holds now, to look at what comes after. */
  public int auditedSoFar() {
    return new AuditLog(cluster.stateDir().resolve("logs/audit.log")).entries().size();
  }

  public Deployment awaitDeployment(String name) {
    await().atMost(Duration.ofSeconds(20)).until(() -> deployment(name) != null);
    return deployment(name);
  }

  /** A connection-string Secret, labelled so that the operator sees it. */
  public void createSecret(String name, Map<String, String> stringData) {
    createSecret(name, stringData, Map.of(ConnectionStringSecrets.LABEL, "true"));
  }

  public void createSecret(
      String name, Map<String, String> stringData, Map<String, String> labels) {
    cluster.createSecret(ns, name, stringData, labels);
  }

  public HorizontalPodAutoscaler autoscaler(String name) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(ns)
        .withName(name)
        .get();
  }

  public PodDisruptionBudget budget(String name) {
    return client.policy().v1().podDisruptionBudget().inNamespace(ns).withName(name).get();
  }

  public List<Event> eventsFor(String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  public static List<String> envNames(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .map(e -> e.getName())
        .toList();
  }

  @Override
  public void close() {
    try {
      operator.stop();
    } catch (RuntimeException alreadyStopped) {
      // A test that replaced the operator has stopped it already.
    }
    operatorClient.close();
    cluster.deleteNamespace(ns);
    client.close();
  }
}
