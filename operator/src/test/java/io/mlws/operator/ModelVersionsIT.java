package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.mlws.api.v1alpha1.ModelVersionStatus;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.OperatorHarness;
import io.mlws.operator.spec.ScorerNames;
import io.mlws.operator.status.StatusConditions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * spec.versions on the real control plane (pods made Ready by kwok): a version gets a Deployment
 * and a Service of its own, the service's Service selects every version's pods, the settings file
 * lists each version's weight and its Service's cluster IP; a weight edit changes only that file,
 * and neither adding nor removing a version touches spec.model's Deployment.
 */
class ModelVersionsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static OperatorHarness harness;

  @BeforeAll
  static void startOperator() {
    harness =
        new OperatorHarness(
            "versions-it",
            OperatorConfig.fromEnvironment(Map.of("MLWS_CONFIRM_SETTINGS", "false")));
  }

  @AfterAll
  static void stopOperator() {
    harness.close();
  }

  @Test
  void aVersionIsAddedReweightedAndRemovedWithoutTouchingTheDefaultVersion() throws Exception {
    harness.apply(MLWebServiceOperatorIT.service("versioned", "replicas: 1"));
    long generation = harness.awaitDeployment("versioned").getMetadata().getGeneration();

    harness.mergePatch(
        "versioned",
        """
        {"spec": {"versions": [{"name": "canary", "weight": 20, "replicas": 2,
          "model": {"uri": "file:///opt/mlws/models/iris.onnx", "version": "2"}}]}}
        """);

    Deployment canary = harness.awaitDeployment("versioned-canary");
    assertThat(canary.getSpec().getReplicas()).isEqualTo(2);
    assertThat(canary.getSpec().getSelector().getMatchLabels())
        .containsEntry(ScorerNames.VERSION_LABEL, "canary")
        .containsEntry("app.kubernetes.io/name", "mlws-scorer-version");
    await("each version has a Service, the service's own still selects spec.model's pods")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                service("versioned-default") != null
                    && service("versioned-canary") != null
                    && service("versioned")
                        .getSpec()
                        .getSelector()
                        .equals(ScorerNames.selector("versioned")));
    await("the settings file lists both versions at their Services' cluster IPs")
        .atMost(Duration.ofSeconds(60))
        .until(() -> routes().equals(Map.of("default", 80, "canary", 20)) && routedToServices());
    await("status: each version's weight and ready pods, Ready once both are rolled out")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              var status = harness.get("versioned").getStatus();
              return status != null
                  && List.of(
                          new ModelVersionStatus("default", 80, 1, 1),
                          new ModelVersionStatus("canary", 20, 2, 2))
                      .equals(status.getVersions())
                  && StatusConditions.isTrue(status, StatusConditions.READY);
            });
    assertThat(harness.deployment("versioned").getMetadata().getGeneration())
        .as("spec.model's Deployment is not changed by a version added")
        .isEqualTo(generation);

    long canaryGeneration = harness.deployment("versioned-canary").getMetadata().getGeneration();
    harness.mergePatch(
        "versioned",
        """
        {"spec": {"versions": [{"name": "canary", "weight": 50, "replicas": 2,
          "model": {"uri": "file:///opt/mlws/models/iris.onnx", "version": "2"}}]}}
        """);
    await("the new weights in the settings file")
        .atMost(Duration.ofSeconds(60))
        .until(() -> routes().equals(Map.of("default", 50, "canary", 50)) && routedToServices());
    assertThat(harness.deployment("versioned").getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(harness.deployment("versioned-canary").getMetadata().getGeneration())
        .as("a weight edit rolls no pods")
        .isEqualTo(canaryGeneration);

    // Autoscaled instead of replicas: a HorizontalPodAutoscaler of the version's own.
    harness.mergePatch(
        "versioned",
        """
        {"spec": {"versions": [{"name": "canary", "weight": 50, "replicas": null,
          "autoscaling": {"minReplicas": 2, "maxReplicas": 4},
          "model": {"uri": "file:///opt/mlws/models/iris.onnx", "version": "2"}}]}}
        """);
    await("the version's HorizontalPodAutoscaler, scaling its Deployment")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              HorizontalPodAutoscaler hpa = autoscaler("versioned-canary");
              return hpa != null
                  && hpa.getSpec().getScaleTargetRef().getName().equals("versioned-canary")
                  && hpa.getSpec().getMinReplicas() == 2
                  && hpa.getSpec().getMaxReplicas() == 4;
            });
    assertThat(autoscaler("versioned")).as("spec.model's pods are not autoscaled").isNull();

    harness.mergePatch("versioned", "{\"spec\": {\"versions\": null}}");
    await("the version's objects gone, the Service back to spec.model's pods")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                harness.deployment("versioned-canary") == null
                    && autoscaler("versioned-canary") == null
                    && service("versioned-canary") == null
                    && service("versioned-default") == null
                    && service("versioned")
                        .getSpec()
                        .getSelector()
                        .equals(ScorerNames.selector("versioned"))
                    && !settings().has("routing")
                    && harness.get("versioned").getStatus().getVersions() == null);
    assertThat(harness.deployment("versioned").getMetadata().getGeneration())
        .as("nor by a version removed")
        .isEqualTo(generation);
  }

  static HorizontalPodAutoscaler autoscaler(String name) {
    return harness
        .client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(harness.ns)
        .withName(name)
        .get();
  }

  static Service service(String name) {
    return harness.client.services().inNamespace(harness.ns).withName(name).get();
  }

  static JsonNode settings() throws Exception {
    ConfigMap settings =
        harness
            .client
            .configMaps()
            .inNamespace(harness.ns)
            .withName(ScorerNames.configMap("versioned"))
            .get();
    return JSON.readTree(settings.getData().get(ScorerNames.SETTINGS_FILE));
  }

  static Map<String, Integer> routes() throws Exception {
    Map<String, Integer> weights = new HashMap<>();
    settings()
        .path("routing")
        .path("versions")
        .forEach(v -> weights.put(v.path("name").asText(), v.path("weight").asInt()));
    return weights;
  }

  /** Every version's url is its Service's cluster IP, on the Services' port. */
  static boolean routedToServices() throws Exception {
    for (JsonNode version : settings().path("routing").path("versions")) {
      Service service = service("versioned-" + version.path("name").asText());
      if (service == null
          || !version
              .path("url")
              .asText()
              .equals(
                  "http://" + service.getSpec().getClusterIP() + ":" + ScorerNames.SERVICE_PORT)) {
        return false;
      }
    }
    return true;
  }
}
