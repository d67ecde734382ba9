package io.mlws.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mlws.operator.harness.Helm;
import io.mlws.operator.harness.Kustomize;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart (deploy/helm/mlws) installs what deploy/ installs: rendered by the real Helm 4 and
 * the real kustomize, the same objects for the default values (deploy/default), a list of
 * namespaces (deploy/namespaced) and the GitOps examples' values (deploy/local); and it passes
 * {@code helm lint --strict}.
 */
class HelmChartTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Labels and annotations only Helm adds; everything else must be equal. */
  private static final List<String> HELM_LABELS =
      List.of("helm.sh/chart", "app.kubernetes.io/managed-by", "app.kubernetes.io/instance");

  private static final List<String> HELM_ANNOTATIONS = List.of("helm.sh/resource-policy");

  @Test
  void passesHelmLintStrict() throws Exception {
    Helm.run(null, Duration.ofSeconds(60), "lint", "--strict", Helm.CHART.toString());
  }

  @Test
  void theDefaultValuesRenderDeployDefault() throws Exception {
    assertSameObjects(
        Helm.template("mlws-system"), Kustomize.render(Kustomize.DEPLOY.resolve("default")));
  }

  @Test
  void aListOfNamespacesRendersDeployNamespaced() throws Exception {
    assertSameObjects(
        Helm.template("mlws-system", "--set", "watchNamespaces={team-a,team-b}"),
        Kustomize.render(Kustomize.DEPLOY.resolve("namespaced")));
  }

  /** The values both GitOps examples give render deploy/local: the local cluster's images. */
  @Test
  void theGitOpsExamplesValuesRenderDeployLocal() throws Exception {
    JsonNode flux = Helm.gitOpsValues();
    JsonNode argo =
        documents(Files.readString(Kustomize.DEPLOY.resolve("gitops/argocd/application-helm.yaml")))
            .get(0)
            .at("/spec/source/helm/valuesObject");
    assertThat(argo).as("Argo CD's valuesObject, Flux's values").isEqualTo(flux);
    assertSameObjects(
        Helm.template("mlws-system", "-f", Helm.gitOpsValuesFile().toString()),
        Kustomize.render(Kustomize.DEPLOY.resolve("local")));
  }

  /** A release's chart names both images by digest. */
  @Test
  void digestsNameTheImagesByDigest() throws Exception {
    String digest = "sha256:" + "ab".repeat(32);
    JsonNode deployment =
        kind(
            Helm.template(
                "mlws-system",
                "--set",
                "image.operator.digest=" + digest,
                "--set",
                "image.scorer.digest=" + digest),
            "Deployment");
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    assertThat(container.get("image").asText()).isEqualTo("ghcr.io/mlws/operator:0.1.0@" + digest);
    assertThat(env(container))
        .containsEntry("MLWS_SCORER_IMAGE", "ghcr.io/mlws/scorer:0.1.0@" + digest);
  }

  /** The operator's own settings: unset by default (the operator's defaults), named when given. */
  @Test
  void settingsBecomeTheOperatorsEnvironment() throws Exception {
    JsonNode deployment =
        kind(
            Helm.template(
                "mlws-system",
                "--set",
                "settings.scorerImageUpdatesAtOnce=5",
                "--set",
                "leaderElection.enabled=false",
                "--set",
                "logFormat=TEXT",
                "--set",
                "podAnnotations.example\\.com/revision=7"),
            "Deployment");
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    assertThat(env(container))
        .containsEntry("MLWS_SCORER_IMAGE_UPDATES_AT_ONCE", "5")
        .containsEntry("MLWS_LEADER_ELECTION", "false")
        .containsEntry("MLWS_LOG_FORMAT", "TEXT")
        .doesNotContainKey("MLWS_LEASE_NAMESPACE");
    assertThat(deployment.at("/spec/template/metadata/annotations/example.com~1revision"))
        .as("an annotation given as a number, written as the string the API requires")
        .isEqualTo(TextNode.valueOf("7"));
    assertThat(documents(Helm.template("mlws-system", "--set", "leaderElection.enabled=false")))
        .noneMatch(d -> d.path("metadata").path("name").asText().endsWith("leader-election"));
  }

  /** Each PodMonitor flavor renders deploy/monitoring's object; another flavor is refused. */
  @Test
  void podMonitorsAreDeployMonitorings() throws Exception {
    for (String flavor : List.of("prometheus-operator", "azure-managed-prometheus")) {
      JsonNode rendered =
          kind(
              Helm.template(
                  "mlws-system",
                  "--set",
                  "podMonitor.enabled=true",
                  "--set",
                  "podMonitor.flavor=" + flavor),
              "PodMonitor");
      JsonNode shipped =
          documents(
                  Files.readString(
                      Kustomize.DEPLOY.resolve("monitoring/podmonitor-" + flavor + ".yaml")))
              .get(0);
      assertThat(rendered.get("apiVersion")).isEqualTo(shipped.get("apiVersion"));
      assertThat(rendered.get("spec")).isEqualTo(shipped.get("spec"));
    }
    Helm.Result refused =
        Helm.tryRun(
            null,
            Duration.ofSeconds(60),
            "template",
            "mlws",
            Helm.CHART.toString(),
            "--set",
            "podMonitor.enabled=true",
            "--set",
            "podMonitor.flavor=datadog");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.errors()).contains("podMonitor.flavor must be one of");
  }

  /** The chart's version and appVersion are the project's (pom.xml). */
  @Test
  void theChartSaysThePomsVersion() throws Exception {
    JsonNode chart = YAML.readTree(Helm.CHART.resolve("Chart.yaml").toFile());
    String pom = Files.readString(Kustomize.DEPLOY.getParent().resolve("pom.xml"));
    java.util.regex.Matcher version =
        java.util.regex.Pattern.compile(
                "<artifactId>mlws-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(version.find()).isTrue();
    String expected = version.group(1).replace("-SNAPSHOT", "");
    assertThat(chart.get("version").asText()).isEqualTo(expected);
    assertThat(chart.get("appVersion").asText()).isEqualTo(expected);
  }

  private static void assertSameObjects(String helm, String kustomize) throws IOException {
    Map<String, JsonNode> charted = byName(helm, false);
    Map<String, JsonNode> kustomized = byName(kustomize, true);
    assertThat(charted.keySet()).as("the objects").isEqualTo(kustomized.keySet());
    for (String object : kustomized.keySet()) {
      assertThat(canonical(charted.get(object)))
          .as("%s, the chart's (actual) and deploy/'s (expected)", object)
          .isEqualTo(canonical(kustomized.get(object)));
    }
  }

  /**
   * The objects by kind, namespace and name, without what only Helm adds, and with each container's
   * env in name order (kustomize's patches put theirs first; no value refers to another).
   */
  private static Map<String, JsonNode> byName(String yaml, boolean withoutNamespaceObject)
      throws IOException {
    Map<String, JsonNode> objects = new TreeMap<>();
    for (JsonNode document : documents(yaml)) {
      if (withoutNamespaceObject && document.get("kind").asText().equals("Namespace")) {
        // The chart installs into the namespace Helm is given (helm install -n; docs/install.md).
        continue;
      }
      ObjectNode metadata = (ObjectNode) document.get("metadata");
      removeKeys(metadata, "labels", HELM_LABELS);
      removeKeys(metadata, "annotations", HELM_ANNOTATIONS);
      for (JsonNode container : document.at("/spec/template/spec/containers")) {
        if (container.has("env")) {
          List<JsonNode> env = new ArrayList<>();
          container.get("env").forEach(env::add);
          env.sort(Comparator.comparing(e -> e.get("name").asText()));
          ((ArrayNode) container.get("env")).removeAll().addAll(env);
        }
      }
      objects.put(
          document.get("kind").asText()
              + " "
              + metadata.path("namespace").asText()
              + "/"
              + metadata.get("name").asText(),
          document);
    }
    return objects;
  }

  /**
   * The object as JSON with its keys in order and whole numbers written as such (the committed
   * CRD's 1.0 is kustomize's 1), so that only a difference in meaning reads as one.
   */
  private static String canonical(JsonNode object) throws IOException {
    ObjectMapper sorted = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    return sorted
        .writerWithDefaultPrettyPrinter()
        .writeValueAsString(sorted.treeToValue(wholeNumbers(object.deepCopy()), Object.class));
  }

  private static JsonNode wholeNumbers(JsonNode node) {
    if (node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue())) {
      return LongNode.valueOf(node.longValue());
    }
    if (node instanceof ObjectNode map) {
      List<String> names = new ArrayList<>();
      map.fieldNames().forEachRemaining(names::add);
      names.forEach(name -> map.set(name, wholeNumbers(map.get(name))));
    } else if (node instanceof ArrayNode list) {
      for (int i = 0; i < list.size(); i++) {
        list.set(i, wholeNumbers(list.get(i)));
      }
    }
    return node;
  }

  private static void removeKeys(ObjectNode metadata, String field, List<String> keys) {
    if (metadata.get(field) instanceof ObjectNode map) {
      map.remove(keys);
      if (map.isEmpty()) {
        metadata.remove(field);
      }
    }
  }

  private static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    for (JsonNode document :
        YAML.readValues(new YAMLFactory().createParser(yaml), JsonNode.class).readAll()) {
      if (document != null && !document.isNull() && !document.isEmpty()) {
        documents.add(document);
      }
    }
    return documents;
  }

  private static JsonNode kind(String yaml, String kind) throws IOException {
    List<JsonNode> matches =
        documents(yaml).stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    assertThat(matches).as(kind).hasSize(1);
    return matches.get(0);
  }

  private static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new TreeMap<>();
    container.get("env").forEach(e -> env.put(e.get("name").asText(), e.path("value").asText()));
    return env;
  }
}
