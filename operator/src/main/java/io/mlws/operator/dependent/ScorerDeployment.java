package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.mlws.api.v1alpha1.SecretKeyReference;
import io.mlws.api.v1alpha1.SpecDefaults;
import io.mlws.operator.auth.ScoringKeysSecret;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.spec.EntraIdIngestion;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerHeap;
import io.mlws.operator.spec.ScorerNames;
import io.mlws.operator.telemetry.TelemetryPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pods that serve the model. The pod template carries only what needs a restart (image, model
 * location, telemetry agent); everything the scorer can reload lives in {@link ScorerConfigMap}.
 */
public class ScorerDeployment extends ScorerObject<Deployment> {
  static final String MODEL_DIR = "/models";
  static final String PVC_MOUNT = "/models/pvc";

  /** The startup probe asks every 2 s; {@link #startupProbeFailures} counts in these steps. */
  static final int STARTUP_PERIOD_SECONDS = 2;

  /**
   * A digest of the connection string on the pod template: a rotated value rolls the pods, while
   * the value itself never leaves its Secret.
   */
  public static final String CONNECTION_STRING_DIGEST = "mlws.io/connection-string-digest";

  public ScorerDeployment() {
    super(Deployment.class);
  }

  @Override
  public String objectName(String name) {
    return name;
  }

  @Override
  protected Deployment desired(ScorerPlan plan) {
    return desired(plan.spec(), plan.telemetry(), plan.config());
  }

  public static Deployment desired(
      ResolvedSpec spec, TelemetryPlan telemetry, OperatorConfig config) {
    ScorerShutdown shutdown = ScorerShutdown.of(spec.pod());
    return new DeploymentBuilder()
        .withMetadata(ScorerNames.metadata(spec.name(), spec.name(), spec.namespace()))
        .withNewSpec()
        .withReplicas(spec.replicas().orElse(null))
        .withNewSelector()
        .withMatchLabels(ScorerNames.selector(spec.name()))
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(0))
        .withMaxSurge(new IntOrString(1))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(PodTemplateMerge.labels(spec))
        .withAnnotations(PodTemplateMerge.annotations(spec, telemetry))
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(spec.pod().getServiceAccountName())
        .withImagePullSecrets(spec.pod().getImagePullSecrets())
        .withNodeSelector(spec.pod().getNodeSelector())
        .withTolerations(spec.pod().getTolerations())
        .withAffinity(spec.pod().getAffinity())
        .withTopologySpreadConstraints(ScorerSpread.constraints(spec))
        .withPriorityClassName(spec.pod().getPriorityClassName())
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(shutdown.gracePeriodSeconds())
        .withEnableServiceLinks(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(10001L)
        .withRunAsGroup(10001L)
        .withFsGroup(10001L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(spec, telemetry, config, shutdown))
        .withVolumes(volumes(spec))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container container(
      ResolvedSpec spec, TelemetryPlan telemetry, OperatorConfig config, ScorerShutdown shutdown) {
    int pause = shutdown.pauseSeconds();
    return new ContainerBuilder()
        .withName(ScorerNames.CONTAINER)
        .withImage(spec.image())
        .addNewPort()
        .withName(ScorerNames.PORT_NAME)
        .withContainerPort(ScorerNames.CONTAINER_PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName(ScorerNames.PROBE_PORT_NAME)
        .withContainerPort(ScorerNames.PROBE_PORT)
        .withProtocol("TCP")
        .endPort()
        .withEnv(env(spec, telemetry, config, shutdown))
        .withResources(spec.resources())
        .withStartupProbe(
            httpProbe(
                "/ready",
                new ResolvedSpec.ProbeTiming(
                    SpecDefaults.PROBE_INITIAL_DELAY_SECONDS,
                    STARTUP_PERIOD_SECONDS,
                    SpecDefaults.PROBE_TIMEOUT_SECONDS,
                    SpecDefaults.PROBE_SUCCESS_THRESHOLD,
                    startupProbeFailures(spec))))
        .withReadinessProbe(httpProbe("/ready", spec.probes().readiness()))
        .withLivenessProbe(httpProbe("/healthz", spec.probes().liveness()))
        // The scorer writes why it stops to /dev/termination-log; its last log lines otherwise.
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withLifecycle(
            pause == 0
                ? null
                : new LifecycleBuilder()
                    .withNewPreStop()
                    .withNewSleep((long) pause)
                    .endPreStop()
                    .build())
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .withVolumeMounts(volumeMounts(spec))
        .build();
  }

  private static List<EnvVar> env(
      ResolvedSpec spec, TelemetryPlan telemetry, OperatorConfig config, ScorerShutdown shutdown) {
    List<EnvVar> env = new ArrayList<>();
    env.add(literal("MLWS_MODEL_URI", modelUriInPod(spec.model().uri())));
    spec.model().sha256().ifPresent(sha -> env.add(literal("MLWS_MODEL_SHA256", sha)));
    spec.model()
        .credential()
        .ifPresent(credential -> env.add(PodTemplateMerge.credential(credential)));
    env.add(literal("MLWS_MODEL_DIR", MODEL_DIR));
    if (spec.model().uri().startsWith("http")) {
      env.add(
          literal(
              "MLWS_MODEL_DOWNLOAD_TIMEOUT_SECONDS",
              String.valueOf(spec.model().download().timeoutSeconds())));
      env.add(
          literal(
              "MLWS_MODEL_MAX_BYTES",
              Quantity.getAmountInBytes(spec.model().download().volumeSizeLimit())
                  .toBigInteger()
                  .toString()));
    }
    env.add(literal("MLWS_PORT", String.valueOf(ScorerNames.CONTAINER_PORT)));
    env.add(literal("MLWS_PROBE_PORT", String.valueOf(ScorerNames.PROBE_PORT)));
    env.add(literal("MLWS_SHUTDOWN_TIMEOUT_SECONDS", String.valueOf(shutdown.drainSeconds())));
    ScorerHeap.maxHeapOption(spec.resources())
        .ifPresent(heap -> env.add(literal("JDK_JAVA_OPTIONS", heap)));
    env.add(literal("MLWS_CONFIG", ScorerNames.SETTINGS_DIR + "/" + ScorerNames.SETTINGS_FILE));
    if (spec.callers().keysRequired()) {
      env.add(literal("MLWS_KEYS_DIR", ScorerNames.KEYS_DIR));
    }
    spec.callers().tokens().ifPresent(tokens -> env.addAll(tokenVariables(tokens)));
    env.add(
        new EnvVarBuilder()
            .withName("MLWS_POD_NAME")
            .withNewValueFrom()
            .withNewFieldRef()
            // The API server defaults apiVersion; without it every reconcile would see a
            // difference.
            .withApiVersion("v1")
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .build());
    if (telemetry.enabled()) {
      SecretKeyReference secret = telemetry.secret().orElseThrow();
      env.add(literal("JAVA_TOOL_OPTIONS", "-javaagent:" + config.agentPath()));
      env.add(
          PodTemplateMerge.fromSecret(
              "APPLICATIONINSIGHTS_CONNECTION_STRING", secret.getName(), secret.getKey()));
      env.add(literal("APPLICATIONINSIGHTS_ROLE_NAME", spec.appInsights().roleName()));
      env.add(
          literal(
              "APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE",
              formatPercentage(spec.appInsights().samplingPercentage())));
      spec.appInsights()
          .authenticationString()
          .ifPresent(auth -> env.add(literal(EntraIdIngestion.VARIABLE, auth)));
    }
    requestSettings(spec.requests())
        .forEach((name, value) -> value.ifPresent(v -> env.add(literal(name, String.valueOf(v)))));
    env.addAll(CollectedDataStorage.env(spec));
    env.addAll(PodTemplateMerge.userEnv(spec));
    return env;
  }

  /** pvc:// models are read from the claim's mount; every other URI goes to the scorer as is. */
  static String modelUriInPod(String uri) {
    if (uri.startsWith("pvc://")) {
      String path = uri.substring("pvc://".length());
      return "file://" + PVC_MOUNT + "/" + path.substring(path.indexOf('/') + 1);
    }
    return uri;
  }

  private static List<Volume> volumes(ResolvedSpec spec) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName("settings")
            .withNewConfigMap()
            .withName(ScorerNames.configMap(spec.name()))
            .endConfigMap()
            .build());
    volumes.add(
        new VolumeBuilder()
            .withName("tmp")
            .withNewEmptyDir()
            .withSizeLimit(new Quantity("512Mi"))
            .endEmptyDir()
            .build());
    if (spec.callers().keysRequired()) {
      volumes.add(
          new VolumeBuilder()
              .withName("keys")
              .withNewSecret()
              .withSecretName(ScoringKeysSecret.name(spec.name()))
              .endSecret()
              .build());
    }
    if (spec.model().uri().startsWith("pvc://")) {
      String claim = spec.model().uri().substring("pvc://".length()).split("/", 2)[0];
      volumes.add(
          new VolumeBuilder()
              .withName("model")
              .withNewPersistentVolumeClaim()
              .withClaimName(claim)
              .withReadOnly(true)
              .endPersistentVolumeClaim()
              .build());
    } else if (spec.model().uri().startsWith("http")) {
      volumes.add(
          new VolumeBuilder()
              .withName("model")
              .withNewEmptyDir()
              .withSizeLimit(spec.model().download().volumeSizeLimit())
              .endEmptyDir()
              .build());
    }
    CollectedDataStorage.volume(spec).ifPresent(volumes::add);
    return volumes;
  }

  private static List<VolumeMount> volumeMounts(ResolvedSpec spec) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount("settings", ScorerNames.SETTINGS_DIR, true));
    mounts.add(mount("tmp", "/tmp", false));
    if (spec.callers().keysRequired()) {
      mounts.add(mount("keys", ScorerNames.KEYS_DIR, true));
    }
    if (spec.model().uri().startsWith("pvc://")) {
      mounts.add(mount("model", PVC_MOUNT, true));
    } else if (spec.model().uri().startsWith("http")) {
      mounts.add(mount("model", MODEL_DIR, false));
    }
    CollectedDataStorage.volume(spec)
        .ifPresent(
            v ->
                mounts.add(
                    mount(CollectedDataStorage.VOLUME, CollectedDataStorage.BUFFER_DIR, false)));
    return mounts;
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        // The API server drops readOnly: false (omitempty); sending it would differ from the stored
        // object on every reconcile and make server-side apply write without end.
        .withReadOnly(readOnly ? Boolean.TRUE : null)
        .build();
  }

  /**
   * The startup probe (every 2 s) gives an http(s) model its whole download budget and then time to
   * load; a model in the image or on a claim only the time to load.
   */
  static int startupProbeFailures(ResolvedSpec spec) {
    int download =
        spec.model().uri().startsWith("http") ? spec.model().download().timeoutSeconds() : 0;
    return (download + SpecDefaults.MODEL_LOAD_SECONDS + STARTUP_PERIOD_SECONDS - 1)
        / STARTUP_PERIOD_SECONDS;
  }

  /** spec.scoring as the scorer's variables; an unset field sets none (the scorer's default). */
  private static Map<String, Optional<Integer>> requestSettings(ResolvedSpec.Requests requests) {
    Map<String, Optional<Integer>> settings = new LinkedHashMap<>();
    settings.put("MLWS_SCORING_TIMEOUT_MILLIS", requests.timeoutMilliseconds());
    settings.put("MLWS_MAX_CONCURRENT_REQUESTS", requests.maxConcurrentRequests());
    settings.put("MLWS_MAX_QUEUE_WAIT_MILLIS", requests.maxQueueWaitMilliseconds());
    settings.put("MLWS_MAX_REQUEST_BYTES", requests.maxRequestBytes());
    settings.put("MLWS_MAX_ROWS", requests.maxRows());
    return settings;
  }

  /**
   * A probe on the probe port. Kubernetes' own defaults (initial delay 0, success threshold 1) are
   * left out of the template: the API server fills them in.
   */
  private static Probe httpProbe(String path, ResolvedSpec.ProbeTiming timing) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(ScorerNames.PROBE_PORT_NAME))
        .endHttpGet()
        .withInitialDelaySeconds(
            timing.initialDelaySeconds() == 0 ? null : timing.initialDelaySeconds())
        .withPeriodSeconds(timing.periodSeconds())
        .withSuccessThreshold(timing.successThreshold() == 1 ? null : timing.successThreshold())
        .withFailureThreshold(timing.failureThreshold())
        .withTimeoutSeconds(timing.timeoutSeconds())
        .build();
  }

  /** spec.auth.entraId as the scorer reads it; an empty list is left unset (no restriction). */
  private static List<EnvVar> tokenVariables(ResolvedSpec.TokenCallers tokens) {
    List<EnvVar> env = new ArrayList<>();
    env.add(literal("MLWS_TOKEN_TENANT_ID", tokens.tenantId()));
    env.add(literal("MLWS_TOKEN_AUDIENCE", tokens.audience()));
    env.add(literal("MLWS_TOKEN_AUTHORITY", tokens.authorityHost()));
    if (!tokens.allowedClientApplications().isEmpty()) {
      env.add(
          literal(
              "MLWS_TOKEN_ALLOWED_CLIENTS", String.join(",", tokens.allowedClientApplications())));
    }
    if (!tokens.allowedRoles().isEmpty()) {
      env.add(literal("MLWS_TOKEN_ALLOWED_ROLES", String.join(",", tokens.allowedRoles())));
    }
    return env;
  }

  private static EnvVar literal(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  /** 100.0 becomes "100" and 12.5 stays "12.5", as a person would write them. */
  static String formatPercentage(double percentage) {
    return percentage == Math.rint(percentage)
        ? String.valueOf((long) percentage)
        : String.valueOf(percentage);
  }
}
