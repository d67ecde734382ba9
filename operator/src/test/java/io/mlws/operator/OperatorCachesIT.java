package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.cache.OwnFieldsOnlyStore;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.OperatorHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the operator's informer caches keep of the objects the real server sends: of the
 * MLWebService a user applied with client-side `kubectl apply` and of its Deployment, which the
 * deployment controller and another field manager also wrote, only the operator's own managed
 * fields and no last-applied-configuration; the server keeps them all.
 */
class OperatorCachesIT {
  static final String OPERATOR_FIELD_MANAGER = "mlwebservicereconciler";
  static final String OTHER_MANAGER = "team-fraud-labeller";
  static OperatorHarness harness;

  @BeforeAll
  static void startOperator() {
    harness = new OperatorHarness("caches-it", OperatorConfig.defaults());
  }

  @AfterAll
  static void stopOperator() {
    harness.close();
  }

  @Test
  void theCachesKeepOnlyTheOperatorsOwnBookkeeping() throws Exception {
    Path file = Files.createTempFile("trimmed", ".yaml");
    Files.writeString(
        file,
        MLWebServiceOperatorIT.service("trimmed", "replicas: 1")
            .replace("namespace: test", "namespace: " + harness.ns));
    harness.cluster.kubectl("apply", "-f", file.toString());
    harness.awaitDeployment("trimmed");
    for (var resource :
        java.util.List.of(
            harness.client.apps().deployments().inNamespace(harness.ns).withName("trimmed"),
            harness
                .client
                .resources(MLWebService.class)
                .inNamespace(harness.ns)
                .withName("trimmed"))) {
      resource.patch(
          new PatchContext.Builder()
              .withPatchType(PatchType.JSON_MERGE)
              .withFieldManager(OTHER_MANAGER)
              .build(),
          "{\"metadata\":{\"labels\":{\"team\":\"fraud\"}}}");
    }
    ResourceID id = new ResourceID("trimmed", harness.ns);

    for (Class<? extends HasMetadata> type :
        java.util.List.of(Deployment.class, MLWebService.class)) {
      HasMetadata onServer =
          harness.client.resources(type).inNamespace(harness.ns).withName("trimmed").get();
      assertThat(managers(onServer))
          .as("%s on the server", type.getSimpleName())
          .contains(OTHER_MANAGER);
      HasMetadata cached =
          await("the operator's cache has the label")
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> harness.operator.cached(type, id).orElse(null),
                  c -> c != null && "fraud".equals(c.getMetadata().getLabels().get("team")));
      assertThat(managers(cached))
          .as("%s in the operator's cache: its own managed fields only", type.getSimpleName())
          .isNotEmpty()
          .containsOnly(OPERATOR_FIELD_MANAGER);
      assertThat(cached.getMetadata().getAnnotations())
          .as("%s in the operator's cache", type.getSimpleName())
          .doesNotContainKey(OwnFieldsOnlyStore.LAST_APPLIED);
    }
    assertThat(
            harness
                .client
                .resources(MLWebService.class)
                .inNamespace(harness.ns)
                .withName("trimmed")
                .get()
                .getMetadata()
                .getAnnotations())
        .as("the MLWebService on the server, as kubectl apply wrote it")
        .containsKey(OwnFieldsOnlyStore.LAST_APPLIED);
  }

  private static Set<String> managers(HasMetadata object) {
    return object.getMetadata().getManagedFields().stream()
        .map(ManagedFieldsEntry::getManager)
        .collect(Collectors.toSet());
  }
}
