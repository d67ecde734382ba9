package io.mlws.api.v1alpha1;

/**
 * Every spec default, once: the CRD's {@code default:} values are generated from these constants
 * and the operator's resolved spec parses the same constants, so the two cannot drift apart.
 */
public final class SpecDefaults {
  public static final String REPLICAS = "1";
  public static final String MIN_REPLICAS = "1";
  public static final String TARGET_CPU_UTILIZATION_PERCENTAGE = "70";
  public static final String MODEL_FORMAT = "ONNX";
  public static final String MODEL_VERSION = "1";

  /** The name spec.model's version has among spec.versions: in headers, telemetry and status. */
  public static final String DEFAULT_VERSION_NAME = "default";

  /** spec.versions' most entries: with spec.model, six versions, as Azure ML v1's AksEndpoint. */
  public static final int MAX_VERSIONS = 5;

  public static final int VERSION_NAME_LENGTH = 20;

  /**
   * A version's analysis, each field unset: the last minute, judged once the version has answered
   * 50 calls in it; rolled back when its failure rate is 5 points above the default version's, or
   * its p95 latency 50 % above it.
   */
  public static final String ANALYSIS_WINDOW_SECONDS = "60";

  /** The longest window an analysis may have, in seconds (the shortest is 10). */
  public static final int ANALYSIS_MAX_WINDOW_SECONDS = 3600;

  public static final String ANALYSIS_MIN_REQUESTS = "50";
  public static final String ANALYSIS_MAX_FAILURE_RATE_INCREASE = "5";
  public static final String ANALYSIS_MAX_LATENCY_INCREASE = "50";

  /**
   * A p95 difference smaller than this is never a regression: near zero the scorer's histogram
   * buckets are 1, 2 and 5 ms apart, and a fast model's p95 moves by that much between windows.
   */
  public static final int ANALYSIS_LATENCY_RESOLUTION_MILLISECONDS = 5;

  public static final String MODEL_CREDENTIAL_TYPE = "AuthorizationHeader";
  public static final String SECRET_KEY = "connection-string";
  public static final String APP_INSIGHTS_ENABLED = "false";
  public static final String SAMPLING_PERCENTAGE = "100";
  public static final String DATA_COLLECTION_ENABLED = "false";
  public static final String MAX_PAYLOAD_CHARS = "8192";
  public static final String AUTH_MODE = "None";

  /** Microsoft Entra ID's global cloud, where spec.auth.entraId finds the tenant's keys. */
  public static final String ENTRA_ID_AUTHORITY_HOST = "https://login.microsoftonline.com/";

  /**
   * The scorer pods' probes, each field of spec.probes unset: readiness every 2 s (a pod leaves the
   * Service within 6 s of failing), liveness every 10 s (a restart after 30 s without an answer),
   * each given 2 s to answer, from the pod's start (the startup probe covers the model's loading).
   */
  public static final int READINESS_PERIOD_SECONDS = 2;

  public static final int LIVENESS_PERIOD_SECONDS = 10;
  public static final int PROBE_FAILURE_THRESHOLD = 3;
  public static final int PROBE_SUCCESS_THRESHOLD = 1;
  public static final int PROBE_TIMEOUT_SECONDS = 2;
  public static final int PROBE_INITIAL_DELAY_SECONDS = 0;

  /**
   * A new pod warms its JIT on its first requests: measured at 20 requests/s with the agent, up to
   * 130m in the first 10 s and 63-80m after a minute (bench/README.md, "Scorer footprint"). Under
   * 100m that is 130 % and the autoscaler's 70 % target scales out on every rollout; 250m keeps
   * both near half of it.
   */
  public static final String CPU_REQUEST = "250m";

  public static final String MEMORY_REQUEST = "512Mi";
  public static final String MEMORY_LIMIT = "1Gi";

  /** Long enough for kube-proxy to drop a terminating pod from its rules on a busy node. */
  public static final String PRE_STOP_PAUSE_SECONDS = "5";

  /** The scorer's drain of requests in flight, and a margin, on top of the pre-stop pause. */
  public static final int DRAIN_SECONDS = 20;

  public static final int GRACE_MARGIN_SECONDS = 5;

  /** Holds about a million records of a few hundred bytes: hours of an outage at most rates. */
  public static final String COLLECT_BUFFER_SIZE_LIMIT = "1Gi";

  /** The smallest collection buffer: a few segments of 4 MiB and room for the one being written. */
  public static final String COLLECT_BUFFER_SIZE_MIN = "16Mi";

  /** An ONNX file without external data is a protobuf, which cannot exceed 2 GiB. */
  public static final String MODEL_VOLUME_SIZE_LIMIT = "2Gi";

  public static final String MODEL_DOWNLOAD_TIMEOUT_SECONDS = "600";

  /** What the startup probe allows after the download: loading the model into ONNX Runtime. */
  public static final int MODEL_LOAD_SECONDS = 300;

  /** The longest quantity a spec may write (a memory size, with room for a decimal exponent). */
  public static final int QUANTITY_LENGTH = 32;

  /**
   * A size as a Kubernetes resource quantity (1Gi, 500M, 2.5Gi, 1e9): the API server's grammar,
   * without a sign.
   */
  public static final String QUANTITY_PATTERN =
      "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+))?$";

  private SpecDefaults() {}

  public static int integer(String constant) {
    return Integer.parseInt(constant);
  }

  public static double number(String constant) {
    return Double.parseDouble(constant);
  }

  public static boolean bool(String constant) {
    return Boolean.parseBoolean(constant);
  }
}
