package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ResolvedSpec.CollectStorage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the scorer pod needs to write collected data to Blob Storage (spec.dataCollection.storage):
 * the container and its credential in the environment (a SAS only through secretKeyRef), and a
 * size-limited volume for the records on their way, which also holds them through an outage.
 */
final class CollectedDataStorage {
  static final String URL_ENV = "MLWS_COLLECT_STORAGE_URL";
  static final String SAS_TOKEN_ENV = "MLWS_COLLECT_STORAGE_SAS_TOKEN";
  static final String WORKLOAD_IDENTITY_ENV = "MLWS_COLLECT_STORAGE_WORKLOAD_IDENTITY";
  static final String BUFFER_DIR_ENV = "MLWS_COLLECT_BUFFER_DIR";
  static final String BUFFER_BYTES_ENV = "MLWS_COLLECT_BUFFER_BYTES";
  static final String VOLUME = "collect-buffer";
  static final String BUFFER_DIR = "/var/lib/mlws/collect";

  /**
   * The share of the volume the scorer fills before it drops records: the kubelet evicts a pod
   * whose emptyDir exceeds its limit, and the segment being written may still grow past it.
   */
  static final BigDecimal BUFFER_SHARE = new BigDecimal("0.9");

  private CollectedDataStorage() {}

  static List<EnvVar> env(ResolvedSpec spec) {
    List<EnvVar> env = new ArrayList<>();
    spec.dataCollection()
        .storage()
        .ifPresent(
            storage -> {
              env.add(literal(URL_ENV, storage.containerUrl()));
              storage
                  .sasToken()
                  .ifPresentOrElse(
                      sas ->
                          env.add(
                              PodTemplateMerge.fromSecret(
                                  SAS_TOKEN_ENV, sas.secretName(), sas.key())),
                      () -> env.add(literal(WORKLOAD_IDENTITY_ENV, "true")));
              env.add(literal(BUFFER_DIR_ENV, BUFFER_DIR));
              env.add(literal(BUFFER_BYTES_ENV, String.valueOf(bufferBytes(storage))));
            });
    return env;
  }

  /** The bytes the scorer may keep on the volume: 90% of its limit. */
  static long bufferBytes(CollectStorage storage) {
    return Quantity.getAmountInBytes(storage.bufferSizeLimit())
        .multiply(BUFFER_SHARE)
        .setScale(0, RoundingMode.DOWN)
        .longValueExact();
  }

  static Optional<Volume> volume(ResolvedSpec spec) {
    return spec.dataCollection()
        .storage()
        .map(
            storage ->
                new VolumeBuilder()
                    .withName(VOLUME)
                    .withNewEmptyDir()
                    .withSizeLimit(storage.bufferSizeLimit())
                    .endEmptyDir()
                    .build());
  }

  /** Whether the pod needs the workload identity webhook for the container. */
  static boolean workloadIdentity(ResolvedSpec spec) {
    return spec.dataCollection().storage().filter(s -> s.sasToken().isEmpty()).isPresent();
  }

  private static EnvVar literal(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
