package io.mlws.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.mlws.operator.rollout.ScorerImageUpdates.Choice;
import io.mlws.operator.rollout.ScorerImageUpdates.Current;
import io.mlws.operator.rollout.ScorerImageUpdates.Move;
import io.mlws.operator.rollout.ScorerImageUpdates.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which services move to a new operator scorer image, and when the others do. */
class ScorerImageUpdatesTest {
  static final String OLD = "registry.example/mlws/scorer:1.0.0";
  static final String NEW = "registry.example/mlws/scorer:1.1.0";
  static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  /** A scorer Deployment on {@code image}, its rollout finished or not. */
  static Deployment deployment(String name, String image, boolean finished) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("team")
        .withGeneration(2L)
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withName("scorer")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(2L)
        .withReplicas(2)
        .withUpdatedReplicas(finished ? 2 : 1)
        .withReadyReplicas(finished ? 2 : 1)
        .withAvailableReplicas(finished ? 2 : 1)
        .endStatus()
        .build();
  }

  /** Every service on the old image, as after the operator was upgraded. */
  static List<Deployment> cluster(String... names) {
    List<Deployment> all = new ArrayList<>();
    for (String name : names) {
      all.add(deployment(name, OLD, true));
    }
    return all;
  }

  static Choice choose(ScorerImageUpdates updates, String name, List<Deployment> all, Instant now) {
    Optional<Deployment> live =
        all.stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst();
    return updates.choose("team/" + name, Optional.empty(), live, () -> all, now);
  }

  @Test
  void oneServiceMovesAtATimeAndTheNextOnceItsPodsAreReady() {
    ScorerImageUpdates updates = new ScorerImageUpdates(NEW, 1);
    List<Deployment> all = cluster("a", "b", "c");

    assertThat(choose(updates, "a", all, NOW)).isEqualTo(new Move(NEW, OLD));
    assertThat(choose(updates, "b", all, NOW))
        .as("a is let through, though the cache has not shown its new Deployment yet")
        .isInstanceOfSatisfying(Wait.class, w -> assertThat(w.moving()).containsExactly("team/a"));

    all.set(0, deployment("a", NEW, false));
    assertThat(choose(updates, "a", all, NOW)).isEqualTo(new Current(NEW));
    assertThat(choose(updates, "b", all, NOW))
        .as("a runs the new image, not yet ready")
        .isInstanceOfSatisfying(Wait.class, w -> assertThat(w.image()).isEqualTo(OLD));

    all.set(0, deployment("a", NEW, true));
    assertThat(choose(updates, "a", all, NOW))
        .as("a has arrived: b, which waits, is woken")
        .isEqualTo(new Current(NEW, List.of("team/b")));
    assertThat(choose(updates, "a", all, NOW)).isEqualTo(new Current(NEW));
    assertThat(choose(updates, "b", all, NOW)).isEqualTo(new Move(NEW, OLD));
    assertThat(choose(updates, "c", all, NOW)).isInstanceOf(Wait.class);
  }

  @Test
  void aNewImageWhosePodsNeverBecomeReadyStopsTheWaveAtTheFirstService() {
    ScorerImageUpdates updates = new ScorerImageUpdates(NEW, 1);
    List<Deployment> all = cluster("a", "b");
    choose(updates, "a", all, NOW);
    all.set(0, deployment("a", NEW, false));

    Instant anHourLater = NOW.plus(Duration.ofHours(1));
    assertThat(choose(updates, "b", all, anHourLater))
        .isInstanceOfSatisfying(Wait.class, w -> assertThat(w.moving()).containsExactly("team/a"));
  }

  @Test
  void aServiceLetThroughButNeverSeenMovingFreesItsTurnAfterAWhile() {
    ScorerImageUpdates updates = new ScorerImageUpdates(NEW, 1);
    List<Deployment> all = cluster("a", "b");
    choose(updates, "a", all, NOW);
    all.remove(0); // deleted before its Deployment was updated

    assertThat(choose(updates, "b", all, NOW.plusSeconds(60))).isInstanceOf(Wait.class);
    assertThat(choose(updates, "b", all, NOW.plus(ScorerImageUpdates.ADMITTED_UNTIL_SEEN)))
        .isEqualTo(new Move(NEW, OLD));
  }

  @Test
  void severalAtOnceWhenSetSo() {
    ScorerImageUpdates updates = new ScorerImageUpdates(NEW, 2);
    List<Deployment> all = cluster("a", "b", "c");
    assertThat(choose(updates, "a", all, NOW)).isInstanceOf(Move.class);
    assertThat(choose(updates, "b", all, NOW)).isInstanceOf(Move.class);
    assertThat(choose(updates, "c", all, NOW))
        .isInstanceOfSatisfying(
            Wait.class, w -> assertThat(w.moving()).containsExactly("team/a", "team/b"));
  }

  @Test
  void zeroKeepsEveryRunningServiceOnItsImageAndSaysHowToMoveIt() {
    ScorerImageUpdates updates = new ScorerImageUpdates(NEW, 0);
    Choice choice = choose(updates, "a", cluster("a"), NOW);
    assertThat(choice.image()).isEqualTo(OLD);
    assertThat(ScorerImageUpdates.describe(choice))
        .hasValueSatisfying(
            m -> assertThat(m).contains("MLWS_SCORER_IMAGE_UPDATES_AT_ONCE is 0", "spec.image"));
  }

  @Test
  void theSpecsImageAndNewServicesAreNeverHeld() {
    ScorerImageUpdates updates = new ScorerImageUpdates(NEW, 1);
    List<Deployment> all = cluster("a", "b");
    choose(updates, "a", all, NOW);
    String pinned = "registry.example/mlws/scorer:2.0.0-rc1";

    assertThat(
            updates.choose("team/b", Optional.of(pinned), Optional.of(all.get(1)), () -> all, NOW))
        .isEqualTo(new Current(pinned));
    assertThat(updates.choose("team/new", Optional.empty(), Optional.empty(), () -> all, NOW))
        .isEqualTo(new Current(NEW));
  }

  @Test
  void aWaitIsNewsOnlyWhenWhatItWaitsForChanges() {
    ScorerImageUpdates updates = new ScorerImageUpdates(NEW, 1);
    List<Deployment> all = cluster("a", "b", "c");
    choose(updates, "a", all, NOW);
    assertThat(((Wait) choose(updates, "c", all, NOW)).news()).isTrue();
    assertThat(((Wait) choose(updates, "c", all, NOW.plusSeconds(30))).news()).isFalse();

    all.set(0, deployment("a", NEW, true));
    choose(updates, "b", all, NOW.plusSeconds(60));
    assertThat(((Wait) choose(updates, "c", all, NOW.plusSeconds(60))).news())
        .as("now waiting for b")
        .isTrue();
    assertThat(ScorerImageUpdates.describe(choose(updates, "c", all, NOW.plusSeconds(61))))
        .hasValue(
            "keeps scorer image %s for now: the operator's %s goes to 1 service(s) at once, and"
                    .formatted(OLD, NEW)
                + " team/b is moving to it, not yet ready");
  }
}
