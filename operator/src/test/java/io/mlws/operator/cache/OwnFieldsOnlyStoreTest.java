package io.mlws.operator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnFieldsOnlyStoreTest {
  static final String OPERATOR = "mlwebservicereconciler";

  @Test
  void keepsTheOperatorsOwnEntriesAndDropsTheRest() {
    OwnFieldsOnlyStore<Deployment> store = new OwnFieldsOnlyStore<>(OPERATOR);

    store.put("ns/scorer", deployment());

    Deployment cached = store.get("ns/scorer");
    assertThat(cached.getMetadata().getManagedFields())
        .extracting(e -> e.getManager() + " " + e.getOperation() + " " + e.getSubresource())
        .containsExactly(OPERATOR + " Apply null", OPERATOR + " Apply status");
    assertThat(cached.getMetadata().getAnnotations())
        .containsOnlyKeys("deployment.kubernetes.io/revision");
    assertThat(cached.getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void anObjectWithoutBookkeepingKeepsEmptyMapsNotNull() {
    OwnFieldsOnlyStore<Deployment> store = new OwnFieldsOnlyStore<>(OPERATOR);

    store.put(
        "ns/bare",
        new DeploymentBuilder().withNewMetadata().withName("bare").endMetadata().build());

    assertThat(store.get("ns/bare").getMetadata().getManagedFields()).isEmpty();
  }

  private static Deployment deployment() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("scorer")
        .withNamespace("ns")
        .withAnnotations(
            Map.of(
                OwnFieldsOnlyStore.LAST_APPLIED,
                "{\"kind\":\"Deployment\",\"spec\":{}}",
                "deployment.kubernetes.io/revision",
                "3"))
        .withManagedFields(
            new ManagedFieldsEntryBuilder().withManager(OPERATOR).withOperation("Apply").build(),
            new ManagedFieldsEntryBuilder()
                .withManager(OPERATOR)
                .withOperation("Apply")
                .withSubresource("status")
                .build(),
            new ManagedFieldsEntryBuilder()
                .withManager("kube-controller-manager")
                .withOperation("Update")
                .withSubresource("status")
                .build(),
            new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Update").build())
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .endSpec()
        .build();
  }
}
