package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.OperatorHarness;
import io.mlws.operator.process.MlwsOperator;
import io.mlws.operator.rollout.ScorerImageUpdates;
import io.mlws.operator.status.ObservedStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operator upgrade that brings a new scorer image, on the real control plane with the real
 * deployment controller and pods made Ready by kwok: the services without spec.image move to it one
 * at a time, each once the one before it is ready (judged from every change a watch saw of their
 * Deployments), and a service whose spec names its image is not written at all (audit log).
 */
class ScorerImageUpdatesIT {
  static final String OLD = "registry.example/mlws/scorer:1.0.0";
  static final String NEW = "registry.example/mlws/scorer:1.1.0";
  static final String PINNED = "registry.example/mlws/scorer:0.9.0";
  static final List<String> FLEET = List.of("u1", "u2", "u3", "u4");

  static OperatorHarness harness;

  static OperatorConfig operatorWithImage(String image) {
    return OperatorConfig.fromEnvironment(
        Map.of("MLWS_SCORER_IMAGE", image, "MLWS_CONFIRM_SETTINGS", "false"));
  }

  @BeforeAll
  static void startOperator() {
    harness = new OperatorHarness("image-it", operatorWithImage(OLD));
  }

  @AfterAll
  static void stopOperator() {
    harness.close();
  }

  /** A Deployment as a watch saw it: its scorer image and whether its rollout had finished. */
  record Seen(String name, String image, boolean rollingOut) {}

  @Test
  void anUpgradedOperatorMovesItsServicesToTheNewImageOneAtATime() throws Exception {
    for (String name : FLEET) {
      harness.apply(MLWebServiceOperatorIT.service(name, "replicas: 2"));
    }
    harness.apply(MLWebServiceOperatorIT.service("pinned", "replicas: 2\nimage: " + PINNED));
    for (String name : List.of("u1", "u2", "u3", "u4", "pinned")) {
      await("the first operator's rollout of " + name)
          .atMost(Duration.ofMinutes(2))
          .until(() -> finished(harness.deployment(name)));
    }
    assertThat(FLEET)
        .allSatisfy(name -> assertThat(image(harness.deployment(name))).isEqualTo(OLD));
    harness.operator.stop();
    int upgradedAt = harness.auditedSoFar();

    List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    Watch watch =
        harness
            .client
            .apps()
            .deployments()
            .inNamespace(harness.ns)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Deployment deployment) {
                    seen.add(
                        new Seen(
                            deployment.getMetadata().getName(),
                            image(deployment),
                            ObservedStatus.rollingOut(Optional.of(deployment))));
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    MlwsOperator upgraded =
        harness.startOperator(harness.cluster.asOperator(), operatorWithImage(NEW));
    try {
      await("every service of the fleet on " + NEW + ", its rollout finished")
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  FLEET.stream()
                      .map(harness::deployment)
                      .allMatch(d -> NEW.equals(image(d)) && finished(d)));
    } finally {
      upgraded.stop();
      watch.close();
    }

    Map<String, Seen> state = new HashMap<>();
    int mostMovingAtOnce = 0;
    List<String> order = new ArrayList<>();
    synchronized (seen) {
      for (Seen change : seen) {
        Seen before = state.put(change.name(), change);
        if (NEW.equals(change.image()) && (before == null || !NEW.equals(before.image()))) {
          order.add(change.name());
        }
        long moving =
            state.values().stream().filter(s -> NEW.equals(s.image()) && s.rollingOut()).count();
        mostMovingAtOnce = Math.max(mostMovingAtOnce, (int) moving);
      }
    }
    System.out.printf(
        "ScorerImageUpdatesIT: %d Deployment changes seen; moved in the order %s%n",
        seen.size(), order);
    assertThat(order).as("each service moved once").containsExactlyInAnyOrderElementsOf(FLEET);
    assertThat(mostMovingAtOnce)
        .as("services on the new image whose rollout had not finished, at any moment")
        .isEqualTo(1);
    assertThat(harness.operatorWritesTo("deployments", "pinned", upgradedAt))
        .as("the pinned service's Deployment, never written by the upgraded operator")
        .isEmpty();
    assertThat(image(harness.deployment("pinned"))).isEqualTo(PINNED);
    for (String name : FLEET) {
      assertThat(harness.eventsFor(name))
          .extracting(Event::getReason, Event::getMessage)
          .as("events of " + name)
          .contains(
              org.assertj.core.groups.Tuple.tuple(
                  "ScorerImageUpdate",
                  "moving from scorer image %s to the operator's %s".formatted(OLD, NEW)));
    }
  }

  static String image(Deployment deployment) {
    return ScorerImageUpdates.scorerImage(deployment).orElseThrow();
  }

  static boolean finished(Deployment deployment) {
    return deployment != null && !ObservedStatus.rollingOut(Optional.of(deployment));
  }
}
