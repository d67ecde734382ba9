package io.mlws.operator.spec;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The scorer JVM's heap ceiling, from the pod's memory limit: what lives outside the heap (the
 * agent, ONNX Runtime's arenas and the model itself, metaspace, thread stacks; about 211 MiB
 * measured with the agent and the iris model) must fit beside it, or the kernel kills the pod. Half
 * of what a 256 MiB reserve leaves goes to the heap, the other half to the model's native memory:
 * 384 MiB of heap under the default 1 GiB limit.
 */
public final class ScorerHeap {
  static final long NATIVE_RESERVE_MIB = 256;
  static final long MIN_HEAP_MIB = 64;
  private static final BigDecimal MIB = BigDecimal.valueOf(1L << 20);

  private ScorerHeap() {}

  /** -Xmx for JDK_JAVA_OPTIONS, or empty without a memory limit (the image's default applies). */
  public static Optional<String> maxHeapOption(ResourceRequirements resources) {
    if (resources == null
        || resources.getLimits() == null
        || !resources.getLimits().containsKey("memory")) {
      return Optional.empty();
    }
    return Optional.of("-Xmx" + heapMiB(resources.getLimits().get("memory")) + "m");
  }

  /** The heap ceiling under {@code memoryLimit}, in MiB. */
  public static long heapMiB(Quantity memoryLimit) {
    long limitMiB = Quantity.getAmountInBytes(memoryLimit).divideToIntegralValue(MIB).longValue();
    return Math.max(MIN_HEAP_MIB, (limitMiB - NATIVE_RESERVE_MIB) / 2);
  }
}
