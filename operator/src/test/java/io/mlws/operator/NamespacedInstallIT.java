package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.harness.AuditLog;
import io.mlws.operator.harness.Kustomize;
import io.mlws.operator.harness.LocalCluster;
import io.mlws.operator.harness.OperatorJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The namespace-scoped install (deploy/namespaced), under the real authorizer: the operator, bound
 * by the overlay's RoleBinding in one namespace and by nothing cluster-wide, serves that namespace
 * with every request allowed, never touches another, and may read no Secret outside it. Its
 * ServiceAccount is one of this test's own: the shared cluster binds mlws-operator cluster-wide for
 * the other tests.
 */
class NamespacedInstallIT {
  static final String ACCOUNT = "mlws-operator";

  @TempDir Path home;

  @Test
  void servesTheNamespaceItIsBoundInAndNothingElse() throws Exception {
    LocalCluster cluster = LocalCluster.shared();
    String operatorNamespace = cluster.createNamespace("nsinstall-op");
    String watched = cluster.createNamespace("nsinstall-a");
    String other = cluster.createNamespace("nsinstall-b");
    AuditLog audit = new AuditLog(cluster.stateDir().resolve("logs/audit.log"));
    try (KubernetesClient admin = cluster.admin()) {
      admin
          .serviceAccounts()
          .inNamespace(operatorNamespace)
          .resource(
              new ServiceAccountBuilder().withNewMetadata().withName(ACCOUNT).endMetadata().build())
          .create();
      RoleBinding shipped = operatorRoleBindings().get(0);
      admin
          .rbac()
          .roleBindings()
          .inNamespace(watched)
          .resource(
              new RoleBindingBuilder(shipped)
                  .editMetadata()
                  .withNamespace(watched)
                  .endMetadata()
                  .editFirstSubject()
                  .withNamespace(operatorNamespace)
                  .endSubject()
                  .build())
          .create();
      Path kubeconfig = cluster.serviceAccountKubeconfig(operatorNamespace, ACCOUNT);
      String user = "system:serviceaccount:" + operatorNamespace + ":" + ACCOUNT;
      int before = audit.entries().size();

      Process operator =
          OperatorJar.start(
              kubeconfig,
              home,
              Map.of(
                  "MLWS_HEALTH_PORT", "0",
                  "MLWS_WATCH_NAMESPACES", watched,
                  "MLWS_CONFIRM_SETTINGS", "false"),
              List.of());
      try {
        for (String namespace : List.of(watched, other)) {
          MLWebService mlws =
              admin
                  .getKubernetesSerialization()
                  .unmarshal(MLWebServiceOperatorIT.service("scoped", ""), MLWebService.class);
          mlws.getMetadata().setNamespace(namespace);
          admin.resources(MLWebService.class).inNamespace(namespace).resource(mlws).create();
        }
        await("the watched namespace's MLWebService reconciled; operator log in " + home)
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> {
                  MLWebService served =
                      admin
                          .resources(MLWebService.class)
                          .inNamespace(watched)
                          .withName("scoped")
                          .get();
                  return served.getStatus() != null
                      && admin.apps().deployments().inNamespace(watched).withName("scoped").get()
                          != null;
                });

        assertThat(admin.apps().deployments().inNamespace(other).list().getItems())
            .as("nothing made in a namespace the operator does not watch")
            .isEmpty();
        List<AuditLog.Entry> requests =
            audit.since(before).stream().filter(e -> e.user().equals(user)).toList();
        assertThat(requests).isNotEmpty();
        assertThat(requests)
            .as("every request of the namespaced operator allowed, all in its namespace")
            .allSatisfy(
                e -> {
                  assertThat(e.code()).as("%s", e).isNotEqualTo(403);
                  assertThat(e.namespace()).as("%s", e).isIn(watched, "");
                });
        assertThat(requests)
            .as("cluster-wide only what every user may: reviewing its own access")
            .filteredOn(e -> e.namespace().isEmpty())
            .allSatisfy(e -> assertThat(e.apiGroup()).isEqualTo("authorization.k8s.io"));
      } finally {
        operator.destroy();
        operator.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        operator.destroyForcibly();
      }

      try (KubernetesClient asOperator =
          new KubernetesClientBuilder()
              .withConfig(
                  io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(kubeconfig)))
              .build()) {
        assertThat(mayListSecrets(asOperator, watched)).isTrue();
        assertThat(mayListSecrets(asOperator, other)).isFalse();
        assertThat(mayListSecrets(asOperator, "")).as("in all namespaces").isFalse();
      }
    } finally {
      for (String namespace : List.of(watched, other, operatorNamespace)) {
        cluster.deleteNamespace(namespace);
      }
    }
  }

  /** The overlay's RoleBindings of the operator's ClusterRole, as shipped. */
  static List<RoleBinding> operatorRoleBindings() throws Exception {
    List<HasMetadata> objects =
        Kustomize.objects(Kustomize.render(Kustomize.DEPLOY.resolve("namespaced")));
    List<RoleBinding> bindings =
        objects.stream()
            .filter(RoleBinding.class::isInstance)
            .map(RoleBinding.class::cast)
            .filter(b -> b.getRoleRef().getName().equals(ACCOUNT))
            .toList();
    assertThat(bindings).isNotEmpty();
    return bindings;
  }

  private static boolean mayListSecrets(KubernetesClient client, String namespace) {
    SelfSubjectAccessReview review =
        client
            .authorization()
            .v1()
            .selfSubjectAccessReview()
            .create(
                new SelfSubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withNewResourceAttributes()
                    .withNamespace(namespace)
                    .withVerb("list")
                    .withResource("secrets")
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    return review.getStatus().getAllowed();
  }
}
