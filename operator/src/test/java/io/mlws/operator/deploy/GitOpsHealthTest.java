package io.mlws.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.Kstatus;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.status.Blocker;
import io.mlws.operator.status.Blockers;
import io.mlws.operator.status.ObservedStatus;
import io.mlws.operator.telemetry.TelemetryPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Statuses the operator really writes (computed by ObservedStatus), read the way GitOps tools read
 * them: Argo CD's health script in deploy/gitops/argocd/health.lua, run in a Lua interpreter
 * (LuaJ), and Flux's kstatus rules. One line per situation.
 */
public class GitOpsHealthTest {
  static final Path HEALTH_LUA = Path.of("../deploy/gitops/argocd/health.lua");
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final ObjectMapper JSON = new ObjectMapper();
  static final Optional<Blocker> NO_BLOCKER = Optional.empty();

  static Deployment deployment(int updated, int ready, String progressingReason) {
    var builder =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("iris")
            .withGeneration(1L)
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .endSpec()
            .withNewStatus()
            .withObservedGeneration(1L)
            .withReplicas(2)
            .withUpdatedReplicas(updated)
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready);
    if (progressingReason != null) {
      builder
          .addNewCondition()
          .withType("Progressing")
          .withStatus("False")
          .withReason(progressingReason)
          .withMessage("ReplicaSet \"iris-7\" has timed out progressing.")
          .endCondition();
    }
    return builder.endStatus().build();
  }

  static Stream<Arguments> situations() {
    return Stream.of(
        // situation, status written?, generation bumped since?, deployment, blocker, secret
        // present, Argo CD, kstatus, message part
        Arguments.of(
            "never reconciled",
            false,
            false,
            null,
            NO_BLOCKER,
            true,
            "Progressing",
            Kstatus.Status.CURRENT,
            "observe"),
        Arguments.of(
            "serving",
            true,
            false,
            deployment(2, 2, null),
            NO_BLOCKER,
            true,
            "Healthy",
            Kstatus.Status.CURRENT,
            "2/2 replicas ready"),
        Arguments.of(
            "serving, without the telemetry asked for (its Secret is missing)",
            true,
            false,
            deployment(2, 2, null),
            NO_BLOCKER,
            false,
            "Degraded",
            Kstatus.Status.FAILED,
            "serves (2/2 replicas ready) but without the Application Insights telemetry"),
        Arguments.of(
            "rolling out",
            true,
            false,
            deployment(1, 1, null),
            NO_BLOCKER,
            true,
            "Progressing",
            Kstatus.Status.IN_PROGRESS,
            "1 of 2 replicas updated"),
        Arguments.of(
            "spec changed, not yet observed",
            true,
            true,
            deployment(2, 2, null),
            NO_BLOCKER,
            true,
            "Progressing",
            Kstatus.Status.IN_PROGRESS,
            "generation 2"),
        Arguments.of(
            "invalid spec",
            true,
            false,
            deployment(2, 2, null),
            Blockers.invalidSpec(List.of("set either spec.replicas or spec.autoscaling, not both")),
            true,
            "Degraded",
            Kstatus.Status.FAILED,
            "not both"),
        Arguments.of(
            "rollout deadline exceeded",
            true,
            false,
            deployment(1, 1, "ProgressDeadlineExceeded"),
            NO_BLOCKER,
            true,
            "Degraded",
            Kstatus.Status.FAILED,
            "timed out progressing"),
        Arguments.of(
            "rolling out, the new pods cannot start",
            true,
            false,
            deployment(1, 2, null),
            Optional.of(
                new Blocker(
                    Blocker.SCORER_PODS_FAILING,
                    "the rollout cannot finish, its new scorer pods do not start (replicas ready"
                        + " and serving meanwhile: 2); pod iris-7-x: container scorer keeps exiting"
                        + " (status 2)")),
            true,
            "Degraded",
            Kstatus.Status.FAILED,
            "keeps exiting (status 2)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("situations")
  void argoCdAndFluxReadTheStatusAsIntended(
      String situation,
      boolean statusWritten,
      boolean generationBumped,
      Deployment deployment,
      Optional<Blocker> blocker,
      boolean secretPresent,
      String argoHealth,
      Kstatus.Status kstatus,
      String messagePart)
      throws Exception {
    MLWebService mlws =
        SERIALIZATION.unmarshal(
            """
            apiVersion: mlws.io/v1alpha1
            kind: MLWebService
            metadata: {name: iris, namespace: ml, generation: 1}
            spec:
              model: {uri: "file:///m.onnx"}
              replicas: 2
              appInsights: {enabled: true, connectionStringSecretRef: {name: ai}}
            """,
            MLWebService.class);
    if (statusWritten) {
      ResolvedSpec spec = ResolvedSpec.of(mlws, OperatorConfig.defaults());
      var secret =
          secretPresent
              ? Optional.of(
                  new SecretBuilder().withData(Map.of("connection-string", "eA==")).build())
              : Optional.<io.fabric8.kubernetes.api.model.Secret>empty();
      mlws.setStatus(
          ObservedStatus.compute(
              mlws,
              spec,
              Optional.ofNullable(deployment),
              TelemetryPlan.of(spec, secret),
              blocker,
              Optional.empty(),
              Instant.parse("2026-11-24T10:00:00Z")));
    }
    if (generationBumped) {
      mlws.getMetadata().setGeneration(2L);
    }
    JsonNode resource = JSON.readTree(SERIALIZATION.asJson(mlws));

    LuaTable health = argoHealth(resource);

    assertThat(health.get("status").tojstring()).isEqualTo(argoHealth);
    assertThat(health.get("message").tojstring()).contains(messagePart);
    assertThat(Kstatus.compute(resource)).isEqualTo(kstatus);
  }

  public static LuaTable argoHealth(JsonNode resource) throws Exception {
    var globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(resource));
    LuaValue result = globals.load(Files.readString(HEALTH_LUA), "health.lua").call();
    return result.checktable();
  }

  static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      node.fields().forEachRemaining(f -> table.set(f.getKey(), toLua(f.getValue())));
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isIntegralNumber()) {
      return LuaValue.valueOf(node.asInt());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
  }
}
