package io.mlws.operator.spec;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.mlws.api.v1alpha1.AppInsightsSpec;
import io.mlws.api.v1alpha1.AuthMode;
import io.mlws.api.v1alpha1.AuthSpec;
import io.mlws.api.v1alpha1.AutoscalingSpec;
import io.mlws.api.v1alpha1.DataCollectionSpec;
import io.mlws.api.v1alpha1.DataCollectionStorage;
import io.mlws.api.v1alpha1.EntraIdCallersSpec;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.MLWebServiceSpec;
import io.mlws.api.v1alpha1.ModelCredential;
import io.mlws.api.v1alpha1.ModelCredentialType;
import io.mlws.api.v1alpha1.ModelSpec;
import io.mlws.api.v1alpha1.ModelVersionSpec;
import io.mlws.api.v1alpha1.NetworkPolicySpec;
import io.mlws.api.v1alpha1.ProbeSettings;
import io.mlws.api.v1alpha1.ProbesSpec;
import io.mlws.api.v1alpha1.SamplingPercentage;
import io.mlws.api.v1alpha1.ScorerPodSpec;
import io.mlws.api.v1alpha1.ScorerResources;
import io.mlws.api.v1alpha1.ScoringSpec;
import io.mlws.api.v1alpha1.SecretKeyReference;
import io.mlws.api.v1alpha1.SpecDefaults;
import io.mlws.api.v1alpha1.StorageCredential;
import io.mlws.api.v1alpha1.VersionAnalysisSpec;
import io.mlws.operator.Sha256;
import io.mlws.operator.config.OperatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An MLWebService with every default filled in from {@link SpecDefaults} (the constants the CRD's
 * defaults are generated from), so that desired state never depends on whether the API server
 * applied the schema defaults (objects built in tests have none). Its parts follow the spec's
 * sections: the model, Application Insights, data collection, and who may call.
 */
public record ResolvedSpec(
    String name,
    String namespace,
    Model model,
    String image,
    Optional<Integer> replicas,
    Optional<ResolvedAutoscaling> autoscaling,
    AppInsights appInsights,
    DataCollection dataCollection,
    ResourceRequirements resources,
    ScorerPodSpec pod,
    String clusterDomain,
    Callers callers,
    Requests requests,
    Probes probes,
    List<Version> versions) {

  /**
   * One of spec.versions: a model served beside spec.model's in pods of its own, answering {@code
   * weight} percent of the calls, and sent a copy of {@code mirrorPercentage} percent.
   */
  public record Version(
      String name,
      int weight,
      int mirrorPercentage,
      Model model,
      int replicas,
      Optional<ResolvedAutoscaling> autoscaling,
      ResourceRequirements resources,
      Optional<Analysis> analysis,
      boolean rolledBack) {

    /** Rolled back by its analysis: no calls and no copies, its pods kept running. */
    Version rollBack() {
      return new Version(name, 0, 0, model, replicas, autoscaling, resources, analysis, true);
    }
  }

  /** spec.versions[].analysis with its defaults: a window, a minimum of calls, two thresholds. */
  public record Analysis(
      Duration window, int minRequests, int maxFailureRateIncrease, int maxLatencyIncrease) {}

  /** spec.model: where the model is, how it is checked, named, fetched and downloaded. */
  public record Model(
      String uri,
      Optional<String> sha256,
      String name,
      String version,
      Optional<ResolvedCredential> credential,
      ModelDownload download) {

    /** What tells this model from another: where it is, its checksum, name and version. */
    public String digest() {
      return Sha256.hex(String.join("\n", uri, sha256.orElse(""), name, version)).substring(0, 16);
    }
  }

  /** spec.appInsights: whether telemetry is asked for, where it goes, how much, as whom. */
  public record AppInsights(
      boolean requested,
      Optional<SecretKeyReference> connectionStringSecret,
      double samplingPercentage,
      Optional<String> authenticationString,
      String roleName) {}

  /** spec.dataCollection: whether inputs and predictions are collected, how much, and where. */
  public record DataCollection(
      boolean requested,
      double samplingPercentage,
      int maxPayloadChars,
      List<String> redactFields,
      Optional<CollectStorage> storage) {}

  /**
   * spec.auth and spec.networkPolicy: whether a key is required or whose Entra ID tokens are, and
   * who may connect.
   */
  public record Callers(
      boolean keysRequired,
      Optional<TokenCallers> tokens,
      Optional<List<NetworkPolicyPeer>> networkPolicyFrom) {}

  /** spec.auth.entraId, its lists empty when unset and its authority defaulted. */
  public record TokenCallers(
      String tenantId,
      String audience,
      List<String> allowedClientApplications,
      List<String> allowedRoles,
      String authorityHost) {}

  /**
   * spec.scoring: how each pod takes requests. Unset values stay unset: the scorer's own defaults
   * apply, and the pod template does not change for them.
   */
  public record Requests(
      Optional<Integer> timeoutMilliseconds,
      Optional<Integer> maxConcurrentRequests,
      Optional<Integer> maxQueueWaitMilliseconds,
      Optional<Integer> maxRequestBytes,
      Optional<Integer> maxRows) {}

  /** One probe's timing, every field resolved. */
  public record ProbeTiming(
      int initialDelaySeconds,
      int periodSeconds,
      int timeoutSeconds,
      int successThreshold,
      int failureThreshold) {}

  /** spec.probes, with the defaults of {@link SpecDefaults}. */
  public record Probes(ProbeTiming liveness, ProbeTiming readiness) {}

  /** HPA bounds and target with their defaults applied. */
  public record ResolvedAutoscaling(int minReplicas, int maxReplicas, int targetCpuPercent) {}

  /** How long an http(s) model may take to download, and how large its volume may grow. */
  public record ModelDownload(int timeoutSeconds, Quantity volumeSizeLimit) {}

  /**
   * Where the scorer reads the model download credential from (no Secret for workload identity),
   * and how it presents it.
   */
  public record ResolvedCredential(Optional<SecretKey> secret, ModelCredentialType type) {
    public boolean workloadIdentity() {
      return type == ModelCredentialType.WorkloadIdentity;
    }
  }

  /**
   * The Blob Storage container collected data is written to: a SAS from a Secret, or (none) the
   * pod's workload identity; and the size of the pod's volume that buffers it.
   */
  public record CollectStorage(
      String containerUrl, Optional<SecretKey> sasToken, Quantity bufferSizeLimit) {}

  /** A key of a Secret in the MLWebService's namespace. */
  public record SecretKey(String secretName, String key) {}

  /** The same spec with the scorer image the operator chose for this pass. */
  public ResolvedSpec withImage(String chosen) {
    return with(chosen, versions);
  }

  /**
   * The same spec with the versions its analysis rolled back answering nothing: the default version
   * answers their share.
   */
  public ResolvedSpec withRolledBack(Set<String> rolledBack) {
    return with(
        image,
        versions.stream()
            .map(version -> rolledBack.contains(version.name()) ? version.rollBack() : version)
            .toList());
  }

  /** This spec with another image and versions: what the operator decides beside the spec. */
  private ResolvedSpec with(String chosenImage, List<Version> decidedVersions) {
    return new ResolvedSpec(
        name,
        namespace,
        model,
        chosenImage,
        replicas,
        autoscaling,
        appInsights,
        dataCollection,
        resources,
        pod,
        clusterDomain,
        callers,
        requests,
        probes,
        decidedVersions);
  }

  /**
   * The spec of one version's pods: this one with the version's model, replica count or
   * autoscaling, and resources; the objects built from it are then renamed and relabelled for the
   * version.
   */
  public ResolvedSpec forVersion(Version version) {
    return new ResolvedSpec(
        name,
        namespace,
        version.model(),
        image,
        version.autoscaling().isPresent() ? Optional.empty() : Optional.of(version.replicas()),
        version.autoscaling(),
        appInsights,
        dataCollection,
        version.resources(),
        pod,
        clusterDomain,
        callers,
        requests,
        probes,
        List.of());
  }

  /** The percentage of calls spec.model's version answers: what spec.versions leave. */
  public int defaultWeight() {
    return 100 - versions.stream().mapToInt(Version::weight).sum();
  }

  public static ResolvedSpec of(MLWebService mlws, OperatorConfig config) {
    String name = mlws.getMetadata().getName();
    MLWebServiceSpec spec = Objects.requireNonNullElseGet(mlws.getSpec(), MLWebServiceSpec::new);
    Optional<ResolvedAutoscaling> autoscaling =
        Optional.ofNullable(spec.getAutoscaling()).map(ResolvedSpec::autoscaling);
    return new ResolvedSpec(
        name,
        mlws.getMetadata().getNamespace(),
        model(Objects.requireNonNullElseGet(spec.getModel(), ModelSpec::new), name),
        Objects.requireNonNullElse(spec.getImage(), config.scorerImage()),
        autoscaling.isPresent()
            ? Optional.empty()
            : Optional.of(
                Objects.requireNonNullElse(
                    spec.getReplicas(), SpecDefaults.integer(SpecDefaults.REPLICAS))),
        autoscaling,
        appInsights(
            Objects.requireNonNullElseGet(spec.getAppInsights(), AppInsightsSpec::new),
            name,
            config),
        dataCollection(
            Objects.requireNonNullElseGet(spec.getDataCollection(), DataCollectionSpec::new)),
        resources(spec.getResources()),
        Objects.requireNonNullElseGet(spec.getPod(), ScorerPodSpec::new),
        config.clusterDomain(),
        new Callers(
            authMode(spec) == AuthMode.Keys,
            Optional.ofNullable(spec.getAuth())
                .filter(auth -> authMode(spec) == AuthMode.EntraId)
                .map(AuthSpec::getEntraId)
                .map(ResolvedSpec::tokenCallers),
            Optional.ofNullable(spec.getNetworkPolicy())
                .map(NetworkPolicySpec::getFrom)
                .map(List::copyOf)),
        requests(Objects.requireNonNullElseGet(spec.getScoring(), ScoringSpec::new)),
        probes(Objects.requireNonNullElseGet(spec.getProbes(), ProbesSpec::new)),
        Objects.requireNonNullElse(spec.getVersions(), List.<ModelVersionSpec>of()).stream()
            .map(version -> version(version, name))
            .toList());
  }

  private static Version version(ModelVersionSpec version, String name) {
    return new Version(
        version.getName(),
        Objects.requireNonNullElse(version.getWeight(), 0),
        Objects.requireNonNullElse(version.getMirrorPercentage(), 0),
        model(Objects.requireNonNullElseGet(version.getModel(), ModelSpec::new), name),
        Objects.requireNonNullElse(
            version.getReplicas(), SpecDefaults.integer(SpecDefaults.REPLICAS)),
        Optional.ofNullable(version.getAutoscaling()).map(ResolvedSpec::autoscaling),
        resources(version.getResources()),
        Optional.ofNullable(version.getAnalysis()).map(ResolvedSpec::analysis),
        false);
  }

  private static Analysis analysis(VersionAnalysisSpec analysis) {
    return new Analysis(
        Duration.ofSeconds(
            Objects.requireNonNullElse(
                analysis.getWindowSeconds(),
                SpecDefaults.integer(SpecDefaults.ANALYSIS_WINDOW_SECONDS))),
        Objects.requireNonNullElse(
            analysis.getMinRequests(), SpecDefaults.integer(SpecDefaults.ANALYSIS_MIN_REQUESTS)),
        Objects.requireNonNullElse(
            analysis.getMaxFailureRateIncrease(),
            SpecDefaults.integer(SpecDefaults.ANALYSIS_MAX_FAILURE_RATE_INCREASE)),
        Objects.requireNonNullElse(
            analysis.getMaxLatencyIncrease(),
            SpecDefaults.integer(SpecDefaults.ANALYSIS_MAX_LATENCY_INCREASE)));
  }

  private static AuthMode authMode(MLWebServiceSpec spec) {
    return Optional.ofNullable(spec.getAuth())
        .map(AuthSpec::getMode)
        .orElse(AuthMode.valueOf(SpecDefaults.AUTH_MODE));
  }

  private static TokenCallers tokenCallers(EntraIdCallersSpec entraId) {
    return new TokenCallers(
        entraId.getTenantId(),
        entraId.getAudience(),
        List.copyOf(Objects.requireNonNullElse(entraId.getAllowedClientApplications(), List.of())),
        List.copyOf(Objects.requireNonNullElse(entraId.getAllowedRoles(), List.of())),
        Objects.requireNonNullElse(
            entraId.getAuthorityHost(), SpecDefaults.ENTRA_ID_AUTHORITY_HOST));
  }

  private static Requests requests(ScoringSpec scoring) {
    return new Requests(
        Optional.ofNullable(scoring.getTimeoutMilliseconds()),
        Optional.ofNullable(scoring.getMaxConcurrentRequests()),
        Optional.ofNullable(scoring.getMaxQueueWaitMilliseconds()),
        Optional.ofNullable(scoring.getMaxRequestBytes()),
        Optional.ofNullable(scoring.getMaxRows()));
  }

  private static Probes probes(ProbesSpec probes) {
    return new Probes(
        probe(probes.getLiveness(), SpecDefaults.LIVENESS_PERIOD_SECONDS),
        probe(probes.getReadiness(), SpecDefaults.READINESS_PERIOD_SECONDS));
  }

  private static ProbeTiming probe(ProbeSettings settings, int defaultPeriodSeconds) {
    ProbeSettings given = Objects.requireNonNullElseGet(settings, ProbeSettings::new);
    return new ProbeTiming(
        Objects.requireNonNullElse(
            given.getInitialDelaySeconds(), SpecDefaults.PROBE_INITIAL_DELAY_SECONDS),
        Objects.requireNonNullElse(given.getPeriodSeconds(), defaultPeriodSeconds),
        Objects.requireNonNullElse(given.getTimeoutSeconds(), SpecDefaults.PROBE_TIMEOUT_SECONDS),
        Objects.requireNonNullElse(
            given.getSuccessThreshold(), SpecDefaults.PROBE_SUCCESS_THRESHOLD),
        Objects.requireNonNullElse(
            given.getFailureThreshold(), SpecDefaults.PROBE_FAILURE_THRESHOLD));
  }

  private static Model model(ModelSpec model, String name) {
    return new Model(
        model.getUri(),
        Optional.ofNullable(model.getSha256()).map(String::toLowerCase),
        Objects.requireNonNullElse(model.getName(), name),
        Objects.requireNonNullElse(model.getVersion(), SpecDefaults.MODEL_VERSION),
        Optional.ofNullable(model.getCredential()).map(ResolvedSpec::credential),
        new ModelDownload(
            Objects.requireNonNullElse(
                model.getDownloadTimeoutSeconds(),
                SpecDefaults.integer(SpecDefaults.MODEL_DOWNLOAD_TIMEOUT_SECONDS)),
            new Quantity(
                Objects.requireNonNullElse(
                    model.getVolumeSizeLimit(), SpecDefaults.MODEL_VOLUME_SIZE_LIMIT))));
  }

  private static AppInsights appInsights(
      AppInsightsSpec insights, String name, OperatorConfig config) {
    return new AppInsights(
        Objects.requireNonNullElse(
            insights.getEnabled(), SpecDefaults.bool(SpecDefaults.APP_INSIGHTS_ENABLED)),
        Optional.ofNullable(insights.getConnectionStringSecretRef())
            .map(ref -> new SecretKeyReference(ref.getName(), secretKey(ref.getKey())))
            .or(config::defaultAppInsightsSecret),
        samplingPercentage(insights.getSamplingPercentage()),
        EntraIdIngestion.authenticationString(Optional.ofNullable(insights.getEntraId())),
        Objects.requireNonNullElse(insights.getRoleName(), name));
  }

  private static DataCollection dataCollection(DataCollectionSpec collection) {
    return new DataCollection(
        Objects.requireNonNullElse(
            collection.getEnabled(), SpecDefaults.bool(SpecDefaults.DATA_COLLECTION_ENABLED)),
        samplingPercentage(collection.getSamplingPercentage()),
        Objects.requireNonNullElse(
            collection.getMaxPayloadChars(), SpecDefaults.integer(SpecDefaults.MAX_PAYLOAD_CHARS)),
        List.copyOf(Objects.requireNonNullElse(collection.getRedactFields(), List.of())),
        Optional.ofNullable(collection.getStorage()).map(ResolvedSpec::collectStorage));
  }

  /** A connection-string key as written, or the default key. */
  public static String secretKey(String key) {
    return Objects.requireNonNullElse(key, SpecDefaults.SECRET_KEY);
  }

  /** The most pods that may run at once: what decides whether a disruption budget is worth it. */
  public int maxReplicas() {
    return autoscaling.map(ResolvedAutoscaling::maxReplicas).orElseGet(() -> replicas.orElse(1));
  }

  /** The in-cluster scoring URL under the operator's cluster domain. */
  public String url() {
    return "http://%s.%s.svc.%s/score".formatted(name, namespace, clusterDomain);
  }

  /** Bounds and target with the defaults applied (an empty spec gives the defaults alone). */
  public static ResolvedAutoscaling autoscaling(AutoscalingSpec autoscaling) {
    return new ResolvedAutoscaling(
        Objects.requireNonNullElse(
            autoscaling.getMinReplicas(), SpecDefaults.integer(SpecDefaults.MIN_REPLICAS)),
        Objects.requireNonNullElse(autoscaling.getMaxReplicas(), 1),
        Objects.requireNonNullElse(
            autoscaling.getTargetCPUUtilizationPercentage(),
            SpecDefaults.integer(SpecDefaults.TARGET_CPU_UTILIZATION_PERCENTAGE)));
  }

  /** A sampling percentage as written, or the default; SpecValidation has refused a bad one. */
  static double samplingPercentage(IntOrString written) {
    return written == null
        ? SpecDefaults.number(SpecDefaults.SAMPLING_PERCENTAGE)
        : SamplingPercentage.of(written).doubleValue();
  }

  private static CollectStorage collectStorage(DataCollectionStorage storage) {
    Optional<SecretKey> sas =
        Optional.ofNullable(storage.getCredential())
            .filter(c -> c.getType().sasToken())
            .map(StorageCredential::getSecretRef)
            .map(ref -> new SecretKey(ref.getName(), ref.getKey()));
    return new CollectStorage(
        storage.getContainerUrl().replaceAll("/+$", ""),
        sas,
        new Quantity(
            Objects.requireNonNullElse(
                storage.getBufferSizeLimit(), SpecDefaults.COLLECT_BUFFER_SIZE_LIMIT)));
  }

  private static ResolvedCredential credential(ModelCredential credential) {
    return new ResolvedCredential(
        Optional.ofNullable(credential.getSecretRef())
            .map(ref -> new SecretKey(ref.getName(), ref.getKey())),
        Objects.requireNonNullElse(
            credential.getType(), ModelCredentialType.valueOf(SpecDefaults.MODEL_CREDENTIAL_TYPE)));
  }

  /**
   * The user's requests and limits; a request the user left out gets its default, never more than
   * the user's limit (so a spec that sets only limits still gives the autoscaler a CPU request).
   * The default memory request is at least the heap ceiling the limit gives, so the scheduler
   * places a pod where its heap can grow.
   */
  private static ResourceRequirements resources(ScorerResources resources) {
    if (resources == null) {
      return new ResourceRequirementsBuilder()
          .withRequests(
              Map.of(
                  "cpu", new Quantity(SpecDefaults.CPU_REQUEST),
                  "memory", new Quantity(SpecDefaults.MEMORY_REQUEST)))
          .withLimits(Map.of("memory", new Quantity(SpecDefaults.MEMORY_LIMIT)))
          .build();
    }
    Map<String, Quantity> limits = Objects.requireNonNullElse(resources.getLimits(), Map.of());
    Quantity memoryRequest = new Quantity(SpecDefaults.MEMORY_REQUEST);
    if (limits.containsKey("memory")) {
      Quantity heap = new Quantity(ScorerHeap.heapMiB(limits.get("memory")) + "Mi");
      if (heap.getNumericalAmount().compareTo(memoryRequest.getNumericalAmount()) > 0) {
        memoryRequest = heap;
      }
    }
    Map<String, Quantity> defaultRequests =
        Map.of("cpu", new Quantity(SpecDefaults.CPU_REQUEST), "memory", memoryRequest);
    Map<String, Quantity> requests = new TreeMap<>();
    defaultRequests.forEach(
        (name, fallback) -> {
          Quantity limit = limits.get(name);
          requests.put(
              name,
              limit != null
                      && limit.getNumericalAmount().compareTo(fallback.getNumericalAmount()) < 0
                  ? limit
                  : fallback);
        });
    if (resources.getRequests() != null) {
      requests.putAll(resources.getRequests());
    }
    return new ResourceRequirementsBuilder()
        .withRequests(requests)
        .withLimits(resources.getLimits())
        .build();
  }
}
