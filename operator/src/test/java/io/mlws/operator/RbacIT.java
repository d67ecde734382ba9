package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mlws.api.v1alpha1.AppInsightsState;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.AuditLog;
import io.mlws.operator.harness.Kubectl;
import io.mlws.operator.harness.LocalCluster;
import io.mlws.operator.harness.OperatorHarness;
import io.mlws.operator.status.StatusConditions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, proven by the real authorizer: the operator runs as its ServiceAccount, bound to
 * exactly the shipped deploy/rbac, through every path that writes (create, update, delete of each
 * owned kind, status, events, the leader Lease). A verb missing from the role fails the scenario
 * (the real server answers 403); the real server's audit log then gives every (resource, verb) the
 * operator used, and the roles must grant exactly that set: an extra verb is privilege it never
 * uses.
 */
@org.junit.jupiter.api.parallel.Isolated(
    "it judges every request the operator's ServiceAccount makes, in any namespace")
class RbacIT {
  /** Allowed to every authenticated user by the built-in system:basic-user role. */
  static final Set<String> ALWAYS_ALLOWED =
      Set.of("authorization.k8s.io/selfsubjectrulesreviews:create");

  /**
   * JOSDK's LeaderElectionManager checks these with a SelfSubjectRulesReview and refuses to start
   * without them, whether or not the Lease is then written with them.
   */
  static final Set<String> LEASE_ACCESS_CHECK =
      Set.of(
          "coordination.k8s.io/leases:get",
          "coordination.k8s.io/leases:create",
          "coordination.k8s.io/leases:update");

  /**
   * Not in this scenario's audit log, each for a stated reason. Setting blockOwnerDeletion on an
   * owner reference needs update on the owner's finalizers: the
   * OwnerReferencesPermissionEnforcement admission plugin (on in local-cluster) checks it
   * internally, so it is never an audited request, but without it every create in this scenario
   * fails with 403. Events are patched (count) when one repeats and read when an earlier operator
   * wrote them: EventAggregationIT exercises both and checks them in the audit log.
   */
  static final Set<String> USED_OUTSIDE_THIS_AUDIT =
      Set.of("mlws.io/mlwebservices/finalizers:update", "core/events:patch", "core/events:get");

  @Test
  void deployRbacGrantsExactlyWhatTheOperatorUses() throws Exception {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "MLWS_LEADER_ELECTION",
                "true",
                "MLWS_LEASE_NAMESPACE",
                LocalCluster.OPERATOR_NAMESPACE));
    LocalCluster cluster = LocalCluster.shared();
    AuditLog audit = new AuditLog(cluster.stateDir().resolve("logs/audit.log"));
    int before = audit.entries().size();
    try (OperatorHarness harness = new OperatorHarness("rbac-it", config)) {
      runEveryPath(harness);
      // The leader renews its Lease (with patch) every few seconds: wait for one renewal, so that
      // a short scenario does not leave that permission unobserved.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  audit.since(before).stream()
                      .anyMatch(
                          e ->
                              e.user().equals(LocalCluster.OPERATOR_USER)
                                  && e.permission().equals("coordination.k8s.io/leases:patch")));
    }
    Set<String> used = new TreeSet<>();
    for (AuditLog.Entry entry : audit.since(before)) {
      if (entry.user().equals(LocalCluster.OPERATOR_USER)) {
        assertThat(entry.code()).as("refused by the real authorizer: %s", entry).isNotEqualTo(403);
        used.add(entry.permission());
      }
    }
    used.removeAll(ALWAYS_ALLOWED);
    used.addAll(LEASE_ACCESS_CHECK);
    used.addAll(USED_OUTSIDE_THIS_AUDIT);
    used.addAll(createsByServerSideApply(used));

    assertThat(granted()).as("deploy/rbac grants (left) vs what the operator used").isEqualTo(used);
  }

  private void runEveryPath(OperatorHarness harness) throws Exception {
    harness.createSecret(
        "ai",
        Map.of("connection-string", "InstrumentationKey=00000000-0000-0000-0000-000000000000"));
    harness.apply(
        MLWebServiceOperatorIT.service(
            "rbac",
            """
            replicas: 2
            appInsights: {enabled: true, connectionStringSecretRef: {name: ai}}"""));
    harness.awaitDeployment("rbac");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> StatusConditions.isTrue(status(harness), StatusConditions.READY));

    harness.mergePatch(
        "rbac", "{\"spec\":{\"replicas\":null,\"autoscaling\":{\"maxReplicas\":3}}}");
    await().atMost(Duration.ofSeconds(30)).until(() -> harness.autoscaler("rbac") != null);

    // Keys: the Secret is created (get, create), then one key regenerated (patch).
    harness.mergePatch("rbac", "{\"spec\":{\"auth\":{\"mode\":\"Keys\"}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                harness.client.secrets().inNamespace(harness.ns).withName("rbac-keys").get()
                    != null);
    harness.mergePatch(
        "rbac", "{\"metadata\":{\"annotations\":{\"mlws.io/rotate-primary-key\":\"1\"}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "1"
                    .equals(
                        harness
                            .client
                            .secrets()
                            .inNamespace(harness.ns)
                            .withName("rbac-keys")
                            .get()
                            .getMetadata()
                            .getAnnotations()
                            .get("mlws.io/primary-key-rotation")));

    // A NetworkPolicy: created, changed, then deleted with the field.
    harness.mergePatch(
        "rbac",
        "{\"spec\":{\"networkPolicy\":{\"from\":[{\"podSelector\":{\"matchLabels\":{\"a\":\"b\"}}}]}}}");
    await().atMost(Duration.ofSeconds(30)).until(() -> networkPolicy(harness) != null);
    harness.mergePatch(
        "rbac",
        "{\"spec\":{\"networkPolicy\":{\"from\":[{\"podSelector\":{\"matchLabels\":{\"a\":\"c\"}}}]}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                networkPolicy(harness) != null
                    && networkPolicy(harness).toString().contains("a=c"));
    harness.mergePatch("rbac", "{\"spec\":{\"networkPolicy\":null}}");
    await().atMost(Duration.ofSeconds(30)).until(() -> networkPolicy(harness) == null);

    // A version of spec.versions: its Deployment and Service created, then deleted with it.
    harness.mergePatch(
        "rbac",
        "{\"spec\":{\"versions\":[{\"name\":\"next\",\"weight\":10,"
            + "\"model\":{\"uri\":\"file:///opt/mlws/models/iris.onnx\"}}]}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                harness.deployment("rbac-next") != null
                    && harness.client.services().inNamespace(harness.ns).withName("rbac-next").get()
                        != null);
    harness.mergePatch("rbac", "{\"spec\":{\"versions\":null}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                harness.deployment("rbac-next") == null
                    && harness.client.services().inNamespace(harness.ns).withName("rbac-next").get()
                        == null);

    harness.mergePatch("rbac", "{\"spec\":{\"dataCollection\":{\"enabled\":true}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                harness
                    .client
                    .configMaps()
                    .inNamespace(harness.ns)
                    .withName("rbac-settings")
                    .get()
                    .getData()
                    .get("settings.json")
                    .contains("\"enabled\" : true"));

    harness.mergePatch("rbac", "{\"spec\":{\"autoscaling\":null,\"replicas\":1}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> harness.autoscaler("rbac") == null && harness.budget("rbac") == null);

    harness.client.secrets().inNamespace(harness.ns).withName("ai").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(harness).getAppInsights() == AppInsightsState.SECRET_MISSING);

    harness.mergePatch("rbac", "{\"spec\":{\"appInsights\":{\"connectionStringSecretRef\":null}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> StatusConditions.isTrue(status(harness), StatusConditions.STALLED));
  }

  /**
   * A server-side apply that creates its object is audited as a patch, but the real authorizer also
   * requires create (the scenario fails with 403 without it): each applied kind needs both.
   */
  static Set<String> createsByServerSideApply(Set<String> used) {
    Set<String> creates = new TreeSet<>();
    for (String permission : used) {
      String resource = permission.substring(0, permission.indexOf(':'));
      if (permission.endsWith(":patch")
          && !resource.contains("/status")
          && !resource.startsWith("coordination.k8s.io/")) {
        creates.add(resource + ":create");
      }
    }
    return creates;
  }

  private static io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy networkPolicy(
      OperatorHarness harness) {
    return harness
        .client
        .network()
        .networkPolicies()
        .inNamespace(harness.ns)
        .withName("rbac")
        .get();
  }

  private static io.mlws.api.v1alpha1.MLWebServiceStatus status(OperatorHarness harness) {
    var mlws = harness.get("rbac");
    return mlws == null ? null : mlws.getStatus();
  }

  /** The permissions in the ClusterRole and the leader-election Role, as rendered by kustomize. */
  static Set<String> granted() throws Exception {
    String yaml = Kubectl.kustomize(java.nio.file.Path.of("../deploy/rbac"));
    Set<String> permissions = new TreeSet<>();
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    for (JsonNode doc :
        mapper.readValues(new YAMLFactory().createParser(yaml), JsonNode.class).readAll()) {
      String name = doc.at("/metadata/name").asText();
      if (!Set.of("mlws-operator", "mlws-operator-leader-election").contains(name)
          || !doc.has("rules")) {
        continue;
      }
      for (JsonNode rule : doc.get("rules")) {
        for (JsonNode group : rule.get("apiGroups")) {
          for (JsonNode resource : rule.get("resources")) {
            for (JsonNode verb : rule.get("verbs")) {
              assertThat(verb.asText()).as("no wildcards").isNotEqualTo("*");
              String g = group.asText().isEmpty() ? "core" : group.asText();
              permissions.add(g + "/" + resource.asText() + ":" + verb.asText());
            }
          }
        }
      }
    }
    return permissions;
  }
}
