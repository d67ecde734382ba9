package io.mlws.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.Kustomize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `kubectl apply -k deploy/default` installs what it should, hardened, with no secret in it. */
class DeployManifestsTest {
  static String rendered;
  static List<HasMetadata> objects;

  @BeforeAll
  static void render() throws Exception {
    rendered = Kustomize.render(Kustomize.DEPLOY.resolve("default"));
    objects = Kustomize.objects(rendered);
  }

  @Test
  void everyDocumentIsAKnownKubernetesObject() {
    assertThat(objects).isNotEmpty().noneMatch(o -> o instanceof GenericKubernetesResource);
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains(
            "Namespace",
            "CustomResourceDefinition",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Deployment",
            "Service");
  }

  @Test
  void installsIntoMlwsSystemWithTheCrd() {
    assertThat(one(Namespace.class).getMetadata().getName()).isEqualTo("mlws-system");
    CustomResourceDefinition crd = one(CustomResourceDefinition.class);
    assertThat(crd.getMetadata().getName()).isEqualTo("mlwebservices.mlws.io");
    assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
    for (HasMetadata o : objects) {
      boolean clusterScoped =
          o instanceof Namespace
              || o instanceof CustomResourceDefinition
              || o instanceof ClusterRole
              || o instanceof ClusterRoleBinding;
      assertThat(o.getMetadata().getNamespace())
          .as("%s %s", o.getKind(), o.getMetadata().getName())
          .isEqualTo(clusterScoped ? null : "mlws-system");
    }
    assertThat(one(ClusterRoleBinding.class).getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo("mlws-operator");
              assertThat(s.getNamespace()).isEqualTo("mlws-system");
            });
  }

  @Test
  void theOperatorPodIsHardenedAndProbed() {
    Deployment deployment = one(Deployment.class);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("mlws-operator");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container container = pod.getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getPorts()).anySatisfy(p -> assertThat(p.getName()).isEqualTo("metrics"));
    assertThat(container.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("MLWS_LEADER_ELECTION");
              assertThat(e.getValue()).isEqualTo("true");
            });
  }

  @Test
  void noRoleUsesWildcardsAndSecretsAreReadOnly() {
    List<PolicyRule> rules =
        objects.stream()
            .filter(ClusterRole.class::isInstance)
            .map(ClusterRole.class::cast)
            .flatMap(r -> r.getRules().stream())
            .toList();
    assertThat(rules)
        .allSatisfy(
            r -> {
              assertThat(r.getVerbs()).doesNotContain("*");
              assertThat(r.getResources()).doesNotContain("*");
              assertThat(r.getApiGroups()).doesNotContain("*");
            });
    assertThat(rules)
        .filteredOn(r -> r.getResources().contains("secrets"))
        // Read, and the keys Secret created and patched; never updated or deleted wholesale.
        .allSatisfy(
            r -> assertThat(r.getVerbs()).isSubsetOf("get", "list", "watch", "create", "patch"));
  }

  @Test
  void nothingCarriesAConnectionString() {
    assertThat(Pattern.compile("(?i)instrumentationkey\\s*=").matcher(rendered).find()).isFalse();
    assertThat(objects).noneMatch(Secret.class::isInstance);
  }

  @Test
  void samplesAreMLWebServicesOnlySoApplyingThemReplacesNoSecretOfTheUsers() throws Exception {
    List<HasMetadata> samples =
        Kustomize.objects(Kustomize.render(Kustomize.DEPLOY.resolve("samples")));

    assertThat(samples).hasSize(4).allMatch(MLWebService.class::isInstance);
  }

  /**
   * One version for everything a release installs: pom.xml's (without -SNAPSHOT) tags both images
   * deploy/default names and the operator's default scorer image, and has a CHANGELOG heading.
   * release/build refuses to build otherwise.
   */
  @Test
  void theImagesAndTheChangelogSayThePomsVersion() throws Exception {
    Path root = Kustomize.DEPLOY.getParent();
    Matcher pom =
        Pattern.compile("<artifactId>mlws-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(root.resolve("pom.xml")));
    assertThat(pom.find()).as("pom.xml's version").isTrue();
    String version = pom.group(1).replace("-SNAPSHOT", "");

    Container operator =
        one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(operator.getImage()).isEqualTo("ghcr.io/mlws/operator:" + version);
    assertThat(operator.getEnv())
        .filteredOn(e -> e.getName().equals("MLWS_SCORER_IMAGE"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("ghcr.io/mlws/scorer:" + version));
    assertThat(OperatorConfig.DEFAULT_SCORER_IMAGE).isEqualTo("ghcr.io/mlws/scorer:" + version);
    assertThat(Files.readString(root.resolve("CHANGELOG.md")))
        .containsPattern("(?m)^## .*\\(" + Pattern.quote(version) + "\\)");
  }

  private static <T extends HasMetadata> T one(Class<T> type) {
    List<T> matches = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matches).as(type.getSimpleName()).hasSize(1);
    return matches.get(0);
  }
}
