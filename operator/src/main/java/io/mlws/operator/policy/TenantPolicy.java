package io.mlws.operator.policy;

import io.mlws.api.v1alpha1.MLWebServiceSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the platform team lets a spec choose, where the right to create an MLWebService would
 * otherwise be the right to run any image as any ServiceAccount of the namespace (and so with its
 * workload identity, and with any Secret of the namespace through env). Set by whoever installs the
 * operator; a spec outside it is not applied and is reported as Stalled, NotAllowed.
 *
 * @param images allowed values of spec.image: an entry ending in "/" allows every image under that
 *     registry or repository path; any other entry allows that repository at any tag or digest.
 *     Empty: any image. The operator's own scorer image (spec.image unset) is always allowed.
 * @param serviceAccounts allowed values of spec.pod.serviceAccountName; empty: any. Leaving it
 *     unset (the namespace's default ServiceAccount) is always allowed.
 */
public record TenantPolicy(List<String> images, Set<String> serviceAccounts) {
  public static final String IMAGES_VARIABLE = "MLWS_ALLOWED_IMAGES";
  public static final String SERVICE_ACCOUNTS_VARIABLE = "MLWS_ALLOWED_SERVICE_ACCOUNTS";

  /** No restriction: what an install without the variables gets. */
  public static final TenantPolicy ANY = new TenantPolicy(List.of(), Set.of());

  public TenantPolicy {
    images = List.copyOf(images);
    serviceAccounts = Set.copyOf(serviceAccounts);
  }

  /** Reads the two variables; an entry with a space or an empty entry is refused by name. */
  public static TenantPolicy fromEnvironment(Map<String, String> env) {
    return new TenantPolicy(
        entries(env, IMAGES_VARIABLE), Set.copyOf(entries(env, SERVICE_ACCOUNTS_VARIABLE)));
  }

  /** The sentences saying what the spec chose that this policy does not allow; empty: allowed. */
  public List<String> refusals(MLWebServiceSpec spec) {
    List<String> refusals = new ArrayList<>();
    Optional.ofNullable(spec.getImage())
        .filter(image -> !images.isEmpty() && !imageAllowed(image))
        .ifPresent(
            image ->
                refusals.add(
                    "spec.image %s is not allowed here; the operator's %s allows %s"
                        .formatted(image, IMAGES_VARIABLE, String.join(", ", images))));
    Optional.ofNullable(spec.getPod())
        .map(pod -> pod.getServiceAccountName())
        .filter(account -> !serviceAccounts.isEmpty() && !serviceAccounts.contains(account))
        .ifPresent(
            account ->
                refusals.add(
                    "spec.pod.serviceAccountName %s is not allowed here; the operator's %s allows %s"
                        .formatted(
                            account,
                            SERVICE_ACCOUNTS_VARIABLE,
                            serviceAccounts.stream().sorted().collect(Collectors.joining(", ")))));
    return refusals;
  }

  boolean imageAllowed(String image) {
    String repository = repository(image);
    return images.stream()
        .anyMatch(
            allowed ->
                allowed.endsWith("/") ? image.startsWith(allowed) : repository.equals(allowed));
  }

  /** {@code host:5000/team/scorer:1.2@sha256:…} is repository {@code host:5000/team/scorer}. */
  static String repository(String image) {
    String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  private static List<String> entries(Map<String, String> env, String variable) {
    String value = env.getOrDefault(variable, "");
    if (value.isBlank()) {
      return List.of();
    }
    List<String> entries = Arrays.stream(value.split(",", -1)).map(String::trim).toList();
    for (String entry : entries) {
      if (entry.isEmpty() || entry.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            variable + " must be a comma-separated list without empty entries, got: " + value);
      }
    }
    return entries;
  }
}
