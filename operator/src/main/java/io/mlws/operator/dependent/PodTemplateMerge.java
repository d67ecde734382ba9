package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;
import io.mlws.api.v1alpha1.EnvVariable;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerNames;
import io.mlws.operator.telemetry.TelemetryPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The user's pod settings merged with the operator's: where both set something, the operator's
 * value wins (selector labels, its own variables), so a pod setting can never unhook a pod from its
 * Deployment or switch telemetry.
 */
final class PodTemplateMerge {
  /** The scorer reads these; the value only ever arrives through secretKeyRef. */
  static final String AUTHORIZATION_ENV = "MLWS_MODEL_AUTHORIZATION";

  static final String SAS_TOKEN_ENV = "MLWS_MODEL_SAS_TOKEN";

  /** Tells the scorer to get a Storage token from what the workload identity webhook injects. */
  static final String WORKLOAD_IDENTITY_ENV = "MLWS_MODEL_WORKLOAD_IDENTITY";

  /** The label the AKS workload identity webhook admits pods by (it injects only into these). */
  static final String WORKLOAD_IDENTITY_LABEL = "azure.workload.identity/use";

  private PodTemplateMerge() {}

  static Map<String, String> labels(ResolvedSpec spec) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (spec.pod().getLabels() != null) {
      labels.putAll(spec.pod().getLabels());
    }
    if (spec.model()
            .credential()
            .filter(ResolvedSpec.ResolvedCredential::workloadIdentity)
            .isPresent()
        || CollectedDataStorage.workloadIdentity(spec)) {
      labels.put(WORKLOAD_IDENTITY_LABEL, "true");
    }
    labels.putAll(ScorerNames.labels(spec.name()));
    return labels;
  }

  static final String NO_INJECTED_JAVA_AGENT = "instrumentation.opentelemetry.io/inject-java";

  static Map<String, String> annotations(ResolvedSpec spec, TelemetryPlan telemetry) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (spec.pod().getAnnotations() != null) {
      annotations.putAll(spec.pod().getAnnotations());
    }
    annotations.remove(ScorerDeployment.CONNECTION_STRING_DIGEST);
    // AKS application monitoring (and the OpenTelemetry operator) would inject a Java agent of its
    // own into pods of the namespaces it instruments: the scorer has one agent, ours, or none.
    annotations.put(NO_INJECTED_JAVA_AGENT, "false");
    if (telemetry.enabled()) {
      telemetry
          .secretDigest()
          .ifPresent(digest -> annotations.put(ScorerDeployment.CONNECTION_STRING_DIGEST, digest));
    }
    return annotations;
  }

  static EnvVar credential(ResolvedSpec.ResolvedCredential credential) {
    if (credential.workloadIdentity()) {
      return new EnvVarBuilder().withName(WORKLOAD_IDENTITY_ENV).withValue("true").build();
    }
    ResolvedSpec.SecretKey secret =
        credential
            .secret()
            .orElseThrow(
                () -> new IllegalArgumentException("spec.model.credential.secretRef is required"));
    return fromSecret(
        credential.type().sasToken() ? SAS_TOKEN_ENV : AUTHORIZATION_ENV,
        secret.secretName(),
        secret.key());
  }

  /** The only way a secret value reaches the pod: a reference the kubelet resolves. */
  static EnvVar fromSecret(String variable, String secretName, String key) {
    return new EnvVarBuilder()
        .withName(variable)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secretName)
        .withKey(key)
        .withOptional(false)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  /**
   * The user's variables, minus any the operator sets (the CRD refuses them; older CRDs may not).
   */
  static List<EnvVar> userEnv(ResolvedSpec spec) {
    if (spec.pod().getEnv() == null) {
      return List.of();
    }
    return spec.pod().getEnv().stream()
        .filter(e -> !reserved(e.getName()))
        .map(PodTemplateMerge::envVar)
        .toList();
  }

  static boolean reserved(String name) {
    return name.startsWith("MLWS_")
        || name.startsWith("APPLICATIONINSIGHTS_")
        || name.equals("JAVA_TOOL_OPTIONS")
        || name.equals("JDK_JAVA_OPTIONS")
        || name.equals("_JAVA_OPTIONS");
  }

  private static EnvVar envVar(EnvVariable variable) {
    return new EnvVarBuilder()
        .withName(variable.getName())
        .withValue(variable.getValue())
        .withValueFrom(asStored(variable.getValueFrom()))
        .build();
  }

  /**
   * The API server defaults fieldRef.apiVersion to v1; sent without it, every apply would write.
   */
  private static EnvVarSource asStored(EnvVarSource source) {
    if (source == null || source.getFieldRef() == null) {
      return source;
    }
    return new EnvVarSourceBuilder(source)
        .editFieldRef()
        .withApiVersion(Objects.requireNonNullElse(source.getFieldRef().getApiVersion(), "v1"))
        .endFieldRef()
        .build();
  }
}
