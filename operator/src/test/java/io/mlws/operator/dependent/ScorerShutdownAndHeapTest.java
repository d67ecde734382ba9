package io.mlws.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.mlws.api.v1alpha1.ScorerPodSpec;
import io.mlws.operator.spec.ScorerHeap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pause, grace period and drain a pod gets, and the heap its memory limit leaves room for. */
class ScorerShutdownAndHeapTest {
  @Test
  void theGracePeriodCoversThePauseTheDrainAndAMargin() {
    assertThat(ScorerShutdown.of(new ScorerPodSpec())).isEqualTo(new ScorerShutdown(5, 30, 20));
    ScorerPodSpec longer = new ScorerPodSpec();
    longer.setPreStopPauseSeconds(15);
    assertThat(ScorerShutdown.of(longer)).isEqualTo(new ScorerShutdown(15, 40, 20));
    longer.setTerminationGracePeriodSeconds(60L);
    assertThat(ScorerShutdown.of(longer)).isEqualTo(new ScorerShutdown(15, 60, 40));
    ScorerPodSpec tight = new ScorerPodSpec();
    tight.setTerminationGracePeriodSeconds(6L);
    assertThat(ScorerShutdown.of(tight).drainSeconds()).as("never below 1 s").isEqualTo(1);
  }

  @Test
  void noPauseMeansNoPreStopHook() {
    ScorerPodSpec none = new ScorerPodSpec();
    none.setPreStopPauseSeconds(0);
    assertThat(ScorerShutdown.of(none)).isEqualTo(new ScorerShutdown(0, 25, 20));
  }

  @Test
  void theHeapLeavesTheNativeReserveAndHalfTheRestOutside() {
    assertThat(ScorerHeap.heapMiB(new Quantity("1Gi"))).isEqualTo(384);
    assertThat(ScorerHeap.heapMiB(new Quantity("2Gi"))).isEqualTo(896);
    assertThat(ScorerHeap.heapMiB(new Quantity("256Mi"))).as("a floor").isEqualTo(64);
    assertThat(ScorerHeap.heapMiB(new Quantity("1.5G"))).isEqualTo(587);
    assertThat(
            ScorerHeap.maxHeapOption(
                new ResourceRequirementsBuilder()
                    .withRequests(Map.of("memory", new Quantity("1Gi")))
                    .build()))
        .as("no limit: the image's own default")
        .isEmpty();
  }
}
