package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.mlws.api.v1alpha1.MLWebService;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Refuses to adopt: an object with the name the operator would create, which this MLWebService does
 * not own, is someone else's (or a previous MLWebService's, still being garbage-collected).
 * Applying over it would take it over silently and later delete it with the MLWebService.
 */
public final class ForeignObjects {
  private ForeignObjects() {}

  /**
   * The first wanted object that exists and is not ours, as a sentence. Objects found in the
   * operator's cache are ours already; only those missing from it are looked up on the server.
   */
  public static Optional<String> inTheWay(
      MLWebService mlws, List<Wanted> wanted, Context<MLWebService> context) {
    for (Wanted object : wanted) {
      if (object.cached()) {
        continue;
      }
      HasMetadata existing =
          context
              .getClient()
              .resources(object.type())
              .inNamespace(mlws.getMetadata().getNamespace())
              .withName(object.name())
              .get();
      if (existing != null && !ownedBy(existing, mlws)) {
        return Optional.of(describe(existing, mlws));
      }
    }
    return Optional.empty();
  }

  /** An object the operator would apply: its kind, its name, and whether its cache has it. */
  public record Wanted(Class<? extends HasMetadata> type, String name, boolean cached) {}

  static boolean ownedBy(HasMetadata object, MLWebService mlws) {
    return object.getMetadata().getOwnerReferences().stream()
        .anyMatch(ref -> Objects.equals(ref.getUid(), mlws.getMetadata().getUid()));
  }

  private static String describe(HasMetadata existing, MLWebService mlws) {
    String owner =
        existing.getMetadata().getOwnerReferences().stream()
            .filter(ref -> Boolean.TRUE.equals(ref.getController()))
            .findFirst()
            .or(() -> existing.getMetadata().getOwnerReferences().stream().findFirst())
            .map(ForeignObjects::ownerName)
            .orElse("no owner");
    return ("%s %s/%s already exists and is not owned by this MLWebService (%s); the operator"
            + " does not adopt objects it did not create: delete or rename it, or rename the"
            + " MLWebService")
        .formatted(
            existing.getKind(),
            mlws.getMetadata().getNamespace(),
            existing.getMetadata().getName(),
            owner);
  }

  private static String ownerName(OwnerReference ref) {
    return "owned by %s %s, uid %s".formatted(ref.getKind(), ref.getName(), ref.getUid());
  }
}
