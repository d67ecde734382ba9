package io.mlws.operator.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.mlws.api.v1alpha1.AuthMode;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.MLWebServiceSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Azure ML v1 AKS services, in the two shapes users have (what {@code az ml service show} prints,
 * and a deployment configuration file), converted to MLWebServices.
 */
class AzureMlV1ServiceTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path FIXTURES = Path.of("src/test/resources/azureml-v1");

  static JsonNode fixture(String name) throws Exception {
    return JSON.readTree(FIXTURES.resolve(name).toFile());
  }

  @Test
  void aServiceAsAzMlServiceShowPrintsItKeepsEverySettingThatHasAField() throws Exception {
    AzureMlV1Service.Conversion conversion = AzureMlV1Service.convert(fixture("service-show.json"));
    MLWebService service = conversion.service();
    MLWebServiceSpec spec = service.getSpec();

    assertThat(service.getMetadata().getName()).isEqualTo("sklearn-mnist-svc");
    assertThat(service.getMetadata().getNamespace()).isEqualTo("azureml-ml-prod");
    assertThat(spec.getModel().getName()).isEqualTo("sklearn_mnist");
    assertThat(spec.getModel().getVersion()).isEqualTo("3");
    assertThat(spec.getReplicas()).isNull();
    assertThat(spec.getAutoscaling().getMinReplicas()).isEqualTo(1);
    assertThat(spec.getAutoscaling().getMaxReplicas()).isEqualTo(10);
    assertThat(spec.getAutoscaling().getTargetCPUUtilizationPercentage()).isEqualTo(70);
    assertThat(spec.getResources().getRequests())
        .isEqualTo(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("512Mi")));
    assertThat(spec.getResources().getLimits()).isNull();
    assertThat(spec.getScoring().getTimeoutMilliseconds()).isEqualTo(60000);
    assertThat(spec.getScoring().getMaxConcurrentRequests()).isEqualTo(1);
    assertThat(spec.getScoring().getMaxQueueWaitMilliseconds()).isEqualTo(500);
    assertThat(spec.getProbes().getLiveness().getInitialDelaySeconds()).isEqualTo(310);
    assertThat(spec.getProbes().getLiveness().getPeriodSeconds()).isEqualTo(10);
    assertThat(spec.getProbes().getLiveness().getTimeoutSeconds()).isEqualTo(2);
    assertThat(spec.getProbes().getLiveness().getFailureThreshold()).isEqualTo(3);
    assertThat(spec.getAppInsights().getEnabled()).isTrue();
    assertThat(spec.getAppInsights().getConnectionStringSecretRef().getName())
        .isEqualTo("appinsights");
    assertThat(spec.getDataCollection().getEnabled()).isTrue();
    assertThat(spec.getAuth().getMode()).isEqualTo(AuthMode.Keys);
    assertThat(conversion.notes())
        .anyMatch(n -> n.startsWith("spec.model.uri is a placeholder"))
        .anyMatch(n -> n.contains("scaled on busy replicas"))
        .anyMatch(n -> n.contains("create the Secret appinsights"))
        .anyMatch(n -> n.contains("sklearn-mnist-svc-keys"));
  }

  @Test
  void aDeploymentConfigurationFileWithFixedReplicasAndLimits() throws Exception {
    ObjectNode config = (ObjectNode) fixture("deploy-config.json");
    config.put("name", "churn");
    MLWebServiceSpec spec = AzureMlV1Service.convert(config).service().getSpec();

    assertThat(spec.getReplicas()).isEqualTo(3);
    assertThat(spec.getAutoscaling()).isNull();
    assertThat(spec.getResources().getRequests())
        .isEqualTo(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("1024Mi")));
    assertThat(spec.getResources().getLimits())
        .isEqualTo(Map.of("cpu", new Quantity("1500m"), "memory", new Quantity("2048Mi")));
    assertThat(spec.getScoring().getTimeoutMilliseconds()).isEqualTo(5000);
    assertThat(spec.getScoring().getMaxConcurrentRequests()).isEqualTo(2);
    assertThat(spec.getScoring().getMaxQueueWaitMilliseconds()).isEqualTo(5000);
    assertThat(spec.getProbes()).isNull();
    assertThat(spec.getAppInsights()).isNull();
  }

  @Test
  void withoutANameItSaysWhereToGetOne() throws Exception {
    assertThatThrownBy(() -> AzureMlV1Service.convert(fixture("deploy-config.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no \"name\"");
  }

  @Test
  void theManifestStartsWithItsNotesAsComments() throws Exception {
    String manifest = FromAzureMlV1.manifest(fixture("service-show.json"));
    assertThat(manifest.lines().findFirst().orElseThrow())
        .startsWith("# Converted from the Azure ML v1 service sklearn-mnist-svc");
    assertThat(manifest).contains("kind: \"MLWebService\"", "timeoutMilliseconds: 60000");
    assertThat(manifest).doesNotContain("status:");
  }
}
