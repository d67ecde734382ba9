package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.mlws.api.v1alpha1.MLWebServiceSpec;
import io.mlws.api.v1alpha1.SecretKeyReference;
import io.mlws.operator.config.OperatorConfig;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One line per case: this spec (YAML), with or without a default Secret, gives that problem. */
class SpecValidationTest {
  static final OperatorConfig NO_DEFAULT = OperatorConfig.defaults();
  static final OperatorConfig WITH_DEFAULT =
      NO_DEFAULT.withDefaultAppInsightsSecret(new SecretKeyReference("shared-ai", "cs"));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("model: {uri: 'file:///m.onnx'}", NO_DEFAULT, ""),
        Arguments.of("model: {uri: 'https://h/m.onnx'}\nreplicas: 0", NO_DEFAULT, ""),
        Arguments.of("replicas: 1", NO_DEFAULT, "spec.model.uri is required"),
        Arguments.of(
            "model: {uri: 's3://b/m.onnx'}", NO_DEFAULT, "spec.model.uri must be https://"),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\nreplicas: 2\nautoscaling: {maxReplicas: 3}",
            NO_DEFAULT,
            "set either spec.replicas or spec.autoscaling, not both"),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\nreplicas: -1", NO_DEFAULT, "must not be negative"),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\nautoscaling: {minReplicas: 5, maxReplicas: 3}",
            NO_DEFAULT,
            "minReplicas must be between 1 and maxReplicas (3), got 5"),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\nautoscaling: {minReplicas: 1}",
            NO_DEFAULT,
            "maxReplicas must be at least 1"),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\nappInsights: {enabled: true}",
            NO_DEFAULT,
            "connectionStringSecretRef is required when appInsights is enabled"),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\nappInsights: {enabled: true}", WITH_DEFAULT, ""),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\nappInsights: {enabled: false}", NO_DEFAULT, ""),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\nappInsights: {samplingPercentage: 101}",
            NO_DEFAULT,
            "spec.appInsights.samplingPercentage: 101 must be an integer from 0 to 100, or a decimal"
                + " string such as \"12.5\" (at most 3 decimals)"),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\ndataCollection: {samplingPercentage: -3}",
            NO_DEFAULT,
            "spec.dataCollection.samplingPercentage: -3 must be an integer from 0 to 100, or a"
                + " decimal string such as \"12.5\" (at most 3 decimals)"),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\ndataCollection: {storage: {containerUrl:"
                + " 'https://a.blob.core.windows.net/c', credential: {type: WorkloadIdentity}}}",
            NO_DEFAULT,
            ""),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\ndataCollection: {storage: {containerUrl:"
                + " 'https://a.blob.core.windows.net/c', credential: {type: WorkloadIdentity},"
                + " bufferSizeLimit: 8Mi}}",
            NO_DEFAULT,
            "spec.dataCollection.storage.bufferSizeLimit must be at least 16Mi, got 8Mi"),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\ndataCollection: {storage: {containerUrl:"
                + " 'https://a.blob.core.windows.net/c', credential: {type: SASToken}}}",
            NO_DEFAULT,
            "spec.dataCollection.storage.credential.secretRef.{name,key} is required with SASToken"),
        Arguments.of(
            "model: {uri: 'file:///m.onnx'}\ndataCollection: {storage: {containerUrl:"
                + " 'https://a.blob.core.windows.net/c?sig=x', credential: {type: WorkloadIdentity}}}",
            NO_DEFAULT,
            "spec.dataCollection.storage.containerUrl must be a container's https:// URL without a"
                + " query"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void reportsExactlyTheExpectedProblem(String specYaml, OperatorConfig config, String expected) {
    MLWebServiceSpec spec =
        new KubernetesSerialization().unmarshal(specYaml, MLWebServiceSpec.class);

    var problems = SpecValidation.problems(spec, config);

    if (expected.isEmpty()) {
      assertThat(problems).isEmpty();
    } else {
      assertThat(problems).singleElement().asString().contains(expected);
    }
  }
}
