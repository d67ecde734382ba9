package io.mlws.operator.spec;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Names and labels shared by every object owned for one MLWebService, so they always agree. */
public final class ScorerNames {
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "mlws-operator";

  /** What the dependents' informers select on: only objects this operator owns are cached. */
  public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;

  /** The version of spec.versions an object serves; spec.model's objects have none. */
  public static final String VERSION_LABEL = "mlws.io/version";

  /**
   * On a version's pods, which model they serve (ResolvedSpec.Model#digest): analysis counts only
   * the calls of pods that serve the version's model of now.
   */
  public static final String MODEL_ANNOTATION = "mlws.io/model";

  /** The app name of spec.model's objects and pods. */
  static final String APP = "mlws-scorer";

  /**
   * The app name of a version's objects and pods: not spec.model's, so that no selector of
   * spec.model's pods (its Deployment's, its autoscaler's, its disruption budget's) counts them.
   */
  static final String VERSION_APP = "mlws-scorer-version";

  /** What the one-per-service dependents' informers select on: not the versions' objects. */
  public static final String SERVICE_OBJECTS_SELECTOR =
      MANAGED_SELECTOR + ",app.kubernetes.io/name=" + APP;

  /** What the versions' informers select on. */
  public static final String VERSION_OBJECTS_SELECTOR =
      MANAGED_SELECTOR + ",app.kubernetes.io/name=" + VERSION_APP;

  public static final String CONTAINER = "scorer";
  public static final String PORT_NAME = "http";
  public static final int CONTAINER_PORT = 8080;

  /** The kubelet's probes have a port, and threads, of their own: busy scoring never fails them. */
  public static final String PROBE_PORT_NAME = "probes";

  public static final int PROBE_PORT = 8081;

  /** The scorer Services' second port: the probe port, for its /metrics. */
  public static final String METRICS_PORT_NAME = "metrics";

  /** The port of the scorer Services, the service's and its versions'. */
  public static final int SERVICE_PORT = 80;

  public static final String SETTINGS_FILE = "settings.json";
  public static final String SETTINGS_DIR = "/etc/mlws";

  /** Where the keys Secret is mounted in scorer pods whose spec.auth.mode is Keys. */
  public static final String KEYS_DIR = "/var/run/mlws/keys";

  private ScorerNames() {}

  public static String configMap(String name) {
    return name + "-settings";
  }

  /** Labels that select the scorer pods; never change them, a Deployment selector is immutable. */
  public static Map<String, String> selector(String name) {
    return Map.of("app.kubernetes.io/name", APP, "app.kubernetes.io/instance", name);
  }

  /** The same selector as a label selector string, for the scale subresource (status.selector). */
  public static String selectorString(String name) {
    return new TreeMap<>(selector(name))
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
  }

  /**
   * The Deployment and Service of one version of spec.versions, or of spec.model's: NAME-VERSION.
   */
  public static String versionObject(String name, String version) {
    return name + "-" + version;
  }

  /** Labels that select the pods of one version of spec.versions. */
  public static Map<String, String> versionSelector(String name, String version) {
    return Map.of(
        "app.kubernetes.io/name",
        VERSION_APP,
        "app.kubernetes.io/instance",
        name,
        VERSION_LABEL,
        version);
  }

  /** The labels of a version's objects and pods. */
  public static Map<String, String> versionLabels(String name, String version) {
    Map<String, String> labels = new TreeMap<>(labels(name));
    labels.putAll(versionSelector(name, version));
    return labels;
  }

  /**
   * Labels every scorer pod of a service has, spec.model's and its versions': what the
   * NetworkPolicy covers, and the pods the operator asks for their settings and counts.
   */
  public static Map<String, String> endpointSelector(String name) {
    return Map.of(
        "app.kubernetes.io/instance",
        name,
        "app.kubernetes.io/component",
        "scorer",
        MANAGED_BY_LABEL,
        MANAGED_BY);
  }

  public static Map<String, String> labels(String name) {
    return Map.of(
        "app.kubernetes.io/name",
        APP,
        "app.kubernetes.io/instance",
        name,
        "app.kubernetes.io/component",
        "scorer",
        MANAGED_BY_LABEL,
        MANAGED_BY);
  }

  /** Metadata of every owned object: the resource's name and namespace, and our labels. */
  public static ObjectMeta metadata(String objectName, String name, String namespace) {
    return new ObjectMetaBuilder()
        .withName(objectName)
        .withNamespace(namespace)
        .withLabels(labels(name))
        .build();
  }

  /**
   * The owner reference of every owned object: the MLWebService is its controller, and deleting the
   * MLWebService in the foreground waits until the object is gone.
   */
  public static OwnerReference controllerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
