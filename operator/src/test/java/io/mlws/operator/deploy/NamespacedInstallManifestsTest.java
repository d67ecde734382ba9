package io.mlws.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.mlws.operator.harness.Kustomize;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `kubectl apply -k deploy/namespaced` grants the operator nothing cluster-wide: its ClusterRole is
 * bound in each namespace it watches, and the namespaces bound are the namespaces watched.
 */
class NamespacedInstallManifestsTest {
  static List<HasMetadata> objects;

  @BeforeAll
  static void render() throws Exception {
    objects = Kustomize.objects(Kustomize.render(Kustomize.DEPLOY.resolve("namespaced")));
  }

  @Test
  void nothingBindsTheOperatorClusterWide() {
    assertThat(objects).noneMatch(ClusterRoleBinding.class::isInstance);
  }

  @Test
  void theOperatorsRoleIsBoundInExactlyTheNamespacesItWatches() {
    List<RoleBinding> operatorRole =
        objects.stream()
            .filter(RoleBinding.class::isInstance)
            .map(RoleBinding.class::cast)
            .filter(b -> b.getRoleRef().getName().equals("mlws-operator"))
            .toList();

    assertThat(operatorRole)
        .allSatisfy(
            binding -> {
              assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
              assertThat(binding.getSubjects())
                  .singleElement()
                  .satisfies(
                      s -> {
                        assertThat(s.getName()).isEqualTo("mlws-operator");
                        assertThat(s.getNamespace()).isEqualTo("mlws-system");
                      });
            });
    assertThat(operatorRole)
        .extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrderElementsOf(watchedNamespaces());
  }

  static List<String> watchedNamespaces() {
    Deployment operator =
        objects.stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    String watched =
        operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("MLWS_WATCH_NAMESPACES"))
            .findFirst()
            .orElseThrow()
            .getValue();
    return Arrays.stream(watched.split(",")).map(String::trim).toList();
  }
}
