package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.dependent.ScorerAutoscaler;
import io.mlws.operator.dependent.ScorerConfigMap;
import io.mlws.operator.dependent.ScorerDeployment;
import io.mlws.operator.dependent.ScorerDisruptionBudget;
import io.mlws.operator.dependent.ScorerNetworkPolicy;
import io.mlws.operator.dependent.ScorerService;
import io.mlws.operator.dependent.VersionAutoscalers;
import io.mlws.operator.dependent.VersionDeployments;
import io.mlws.operator.dependent.VersionServices;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.telemetry.KeyNamesOnlySecretStore;
import io.mlws.operator.telemetry.TelemetryPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table of desired states: each directory under src/test/resources/desired holds one
 * mlwebservice.yaml (and the keys of its Secret, if one exists) and the exact objects the operator
 * must want for it. A missing expected file means the object must not exist.
 */
class DesiredStateTest {
  static final Path CASES = Path.of("src/test/resources/desired");
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final OperatorConfig CONFIG = OperatorConfig.defaults();

  static Stream<Path> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(CASES)) {
      return dirs.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void desiredObjectsAreExactlyTheExpectedOnes(Path dir) throws IOException {
    Map<String, HasMetadata> actual = desiredObjects(dir);

    for (String kind :
        new String[] {"configmap", "deployment", "service", "hpa", "pdb", "networkpolicy"}) {
      Path expected = dir.resolve(kind + ".yaml");
      if (Files.exists(expected)) {
        assertThat(actual).as("%s/%s", dir.getFileName(), kind).containsKey(kind);
        assertThat(tree(actual.get(kind)))
            .as("%s/%s", dir.getFileName(), kind)
            .isEqualTo(YAML.readTree(expected.toFile()));
      } else {
        assertThat(actual)
            .as("%s/%s must not exist", dir.getFileName(), kind)
            .doesNotContainKey(kind);
      }
    }
    // The versions' objects: deployment-, service- and hpa-VERSION.yaml, exactly these.
    try (Stream<Path> files = Files.list(dir)) {
      Map<String, Path> expectedVersionObjects =
          files
              .map(file -> file.getFileName().toString())
              .filter(file -> file.matches("(deployment|service|hpa)-.+\\.yaml"))
              .collect(
                  Collectors.toMap(file -> file.replace(".yaml", ""), file -> dir.resolve(file)));
      assertThat(actual.keySet().stream().filter(kind -> kind.contains("-")))
          .as("%s: the versions' objects", dir.getFileName())
          .containsExactlyInAnyOrderElementsOf(expectedVersionObjects.keySet());
      for (Map.Entry<String, Path> expected : expectedVersionObjects.entrySet()) {
        assertThat(tree(actual.get(expected.getKey())))
            .as("%s/%s", dir.getFileName(), expected.getKey())
            .isEqualTo(YAML.readTree(expected.getValue().toFile()));
      }
    }
  }

  static Map<String, HasMetadata> desiredObjects(Path dir) throws IOException {
    MLWebService mlws =
        SERIALIZATION.unmarshal(
            Files.readString(dir.resolve("mlwebservice.yaml")), MLWebService.class);
    ResolvedSpec spec = ResolvedSpec.of(mlws, CONFIG);
    TelemetryPlan telemetry = TelemetryPlan.of(spec, secret(dir));
    Map<String, HasMetadata> objects = new LinkedHashMap<>();
    objects.put("configmap", ScorerConfigMap.desired(spec, versionAddresses(spec)));
    objects.put("deployment", ScorerDeployment.desired(spec, telemetry, CONFIG));
    objects.put(
        "service",
        ScorerService.desired(spec.name(), spec.namespace(), ScorerService.selector(spec)));
    for (ResolvedSpec.Version version : spec.versions()) {
      objects.put(
          "deployment-" + version.name(),
          VersionDeployments.desired(spec, version, telemetry, CONFIG));
    }
    VersionServices.desired(spec)
        .forEach((version, service) -> objects.put("service-" + version, service));
    VersionAutoscalers.desired(spec)
        .forEach((version, autoscaler) -> objects.put("hpa-" + version, autoscaler));
    if (spec.autoscaling().isPresent()) {
      objects.put("hpa", ScorerAutoscaler.desired(spec));
    }
    if (spec.maxReplicas() >= 2) {
      objects.put("pdb", ScorerDisruptionBudget.desired(spec.name(), spec.namespace()));
    }
    spec.callers()
        .networkPolicyFrom()
        .ifPresent(from -> objects.put("networkpolicy", ScorerNetworkPolicy.desired(spec)));
    return objects;
  }

  /** Cluster IPs for the versions' Services, as the operator's cache would have them. */
  static Map<String, String> versionAddresses(ResolvedSpec spec) {
    Map<String, String> addresses = new LinkedHashMap<>();
    if (!spec.versions().isEmpty()) {
      addresses.put("default", "10.96.1.1");
      for (int i = 0; i < spec.versions().size(); i++) {
        addresses.put(spec.versions().get(i).name(), "10.96.1." + (i + 2));
      }
    }
    return addresses;
  }

  private static Optional<Secret> secret(Path dir) throws IOException {
    Path keys = dir.resolve("secret-keys");
    if (!Files.exists(keys)) {
      return Optional.empty();
    }
    Map<String, String> data =
        Arrays.stream(Files.readString(keys).split("\\s+"))
            .filter(k -> !k.isBlank())
            .collect(Collectors.toMap(k -> k, k -> "dmFsdWU="));
    // As the operator's informer caches it: key names and value digests.
    return Optional.of(
        KeyNamesOnlySecretStore.withoutValues(
            new SecretBuilder()
                .withNewMetadata()
                .withName("ai")
                .withUid("5a0f3c1e-8d2b-4e7a-9c61-2f4b7d9e0a13")
                .endMetadata()
                .withData(data)
                .build()));
  }

  static JsonNode tree(HasMetadata object) throws IOException {
    return YAML.readTree(SERIALIZATION.asYaml(object));
  }

  /**
   * Writes the current desired objects as the expected files: run by hand, then review the diff.
   */
  public static void main(String[] args) throws IOException {
    for (Path dir : cases().toList()) {
      for (var entry : desiredObjects(dir).entrySet()) {
        Files.writeString(
            dir.resolve(entry.getKey() + ".yaml"), SERIALIZATION.asYaml(entry.getValue()));
      }
    }
  }
}
