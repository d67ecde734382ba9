package io.mlws.operator.rollout;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.mlws.operator.spec.ScorerNames;
import io.mlws.operator.status.ObservedStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Moves the services that run the operator's scorer image (no spec.image) onto a new one a few at a
 * time, so that upgrading the operator never rolls every model of the cluster at once: a service
 * moves once fewer than {@code atOnce} others are moving, that is, run the new image in a rollout
 * that has not finished. A new image whose pods do not become ready therefore stops the wave at the
 * first services. A spec.image is the user's own choice and is never held back; a new service
 * starts on the operator's image.
 */
public final class ScorerImageUpdates {
  /** How often a service that waits for its turn looks again. */
  public static final Duration RECHECK = Duration.ofSeconds(30);

  /**
   * How long a service let through counts as moving before the cache shows its Deployment on the
   * new image (after which the Deployment's own rollout says whether it is still moving).
   */
  static final Duration ADMITTED_UNTIL_SEEN = Duration.ofMinutes(2);

  private final String operatorImage;
  private final int atOnce;
  private final Map<String, Instant> admitted = new HashMap<>();

  /** Of each service that waits, the services it last waited for. */
  private final Map<String, SortedSet<String>> lastWait = new HashMap<>();

  private final Set<String> moved = new HashSet<>();

  /**
   * @param operatorImage the scorer image of services without spec.image
   * @param atOnce how many services may move to it at once; 0: none moves until its spec says so
   */
  public ScorerImageUpdates(String operatorImage, int atOnce) {
    this.operatorImage = operatorImage;
    this.atOnce = atOnce;
  }

  /** The image a service's pods run this pass, and whether that is a move or a wait. */
  public sealed interface Choice {
    String image();
  }

  /**
   * The image the spec names, or the operator's for a service that runs it already or is new;
   * {@code wake}: services that wait for a turn, to look again now that this one has moved.
   */
  public record Current(String image, List<String> wake) implements Choice {
    public Current(String image) {
      this(image, List.of());
    }
  }

  /** Let through now: from {@code from} to the operator's image. */
  public record Move(String image, String from) implements Choice {}

  /**
   * Held on the image it runs while {@code moving} move to {@code to}; {@code news} when the last
   * pass for this service said something else (an Event says each wait once).
   */
  public record Wait(String image, String to, SortedSet<String> moving, int atOnce, boolean news)
      implements Choice {}

  /**
   * @param service namespace/name of the MLWebService (its Deployment has its name)
   * @param specImage the spec's image, if it names one
   * @param live its Deployment as the cache has it
   * @param scorerDeployments every scorer Deployment the cache has, of every service (listed only
   *     for a service that may move)
   */
  public synchronized Choice choose(
      String service,
      Optional<String> specImage,
      Optional<Deployment> live,
      Supplier<Collection<Deployment>> scorerDeployments,
      Instant now) {
    Optional<String> running = live.flatMap(ScorerImageUpdates::scorerImage);
    if (specImage.isPresent()) {
      admitted.remove(service);
      lastWait.remove(service);
      moved.remove(service);
      return new Current(specImage.get());
    }
    if (running.isEmpty() || running.get().equals(operatorImage)) {
      admitted.remove(service);
      lastWait.remove(service);
      if (moved.contains(service) && !ObservedStatus.rollingOut(live)) {
        moved.remove(service);
        // Its turn is free: the first waiters need not wait for their next look.
        return new Current(
            operatorImage, new TreeSet<>(lastWait.keySet()).stream().limit(atOnce).toList());
      }
      return new Current(operatorImage);
    }
    admitted.values().removeIf(since -> !since.plus(ADMITTED_UNTIL_SEEN).isAfter(now));
    if (admitted.containsKey(service)) {
      return new Current(operatorImage);
    }
    SortedSet<String> moving = new TreeSet<>();
    for (Deployment deployment : scorerDeployments.get()) {
      if (scorerImage(deployment).filter(operatorImage::equals).isPresent()) {
        // On the new image in the cache: its rollout, not its admission, says if it still moves.
        admitted.remove(key(deployment));
        if (ObservedStatus.rollingOut(Optional.of(deployment))) {
          moving.add(key(deployment));
        }
      }
    }
    moving.addAll(admitted.keySet());
    moving.remove(service);
    if (moving.size() < atOnce) {
      admitted.put(service, now);
      moved.add(service);
      lastWait.remove(service);
      return new Move(operatorImage, running.get());
    }
    boolean news = !moving.equals(lastWait.put(service, moving));
    return new Wait(running.get(), operatorImage, moving, atOnce, news);
  }

  /** What a choice says in an Event, if anything: a move, or a wait. */
  public static Optional<String> describe(Choice choice) {
    if (choice instanceof Move move) {
      return Optional.of(
          "moving from scorer image %s to the operator's %s".formatted(move.from(), move.image()));
    }
    if (!(choice instanceof Wait wait)) {
      return Optional.empty();
    }
    if (wait.atOnce() == 0) {
      return Optional.of(
          ("keeps scorer image %s: the operator's %s goes to no running service on its own"
                  + " (MLWS_SCORER_IMAGE_UPDATES_AT_ONCE is 0); set spec.image to move it")
              .formatted(wait.image(), wait.to()));
    }
    return Optional.of(
        ("keeps scorer image %s for now: the operator's %s goes to %d service(s) at once, and %s"
                + " %s moving to it, not yet ready")
            .formatted(
                wait.image(),
                wait.to(),
                wait.atOnce(),
                String.join(", ", wait.moving()),
                wait.moving().size() == 1 ? "is" : "are"));
  }

  /** The image of a Deployment's scorer container. */
  public static Optional<String> scorerImage(Deployment deployment) {
    return Optional.ofNullable(deployment.getSpec())
        .map(spec -> spec.getTemplate())
        .map(template -> template.getSpec())
        .flatMap(
            pod ->
                pod.getContainers().stream()
                    .filter(c -> ScorerNames.CONTAINER.equals(c.getName()))
                    .findFirst())
        .map(Container::getImage);
  }

  private static String key(Deployment deployment) {
    return deployment.getMetadata().getNamespace() + "/" + deployment.getMetadata().getName();
  }
}
