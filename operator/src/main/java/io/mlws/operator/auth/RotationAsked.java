package io.mlws.operator.auth;

import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.mlws.api.v1alpha1.MLWebService;
import java.util.Map;
import java.util.Objects;

/**
 * Which updates of an MLWebService are worth a reconciliation: a new generation (the spec changed),
 * as JOSDK's generation-aware processing decides, and also a new key rotation annotation, which
 * changes metadata only and so moves no generation.
 */
public final class RotationAsked implements OnUpdateFilter<MLWebService> {
  @Override
  public boolean accept(MLWebService updated, MLWebService previous) {
    return !Objects.equals(
            updated.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
        || updated.isMarkedForDeletion()
        || ScoringKeysSecret.ASKED.values().stream()
            .anyMatch(a -> !Objects.equals(annotation(updated, a), annotation(previous, a)));
  }

  private static String annotation(MLWebService mlws, String name) {
    Map<String, String> annotations = mlws.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }
}
