package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/**
 * The scorer pod settings real clusters need (identity, private registries, node pools), typed and
 * validated, without handing over the whole pod template the operator is responsible for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.terminationGracePeriodSeconds) || self.terminationGracePeriodSeconds >"
            + " (has(self.preStopPauseSeconds) ? self.preStopPauseSeconds : "
            + SpecDefaults.PRE_STOP_PAUSE_SECONDS
            + ")",
    message =
        "terminationGracePeriodSeconds must exceed preStopPauseSeconds: the pod is killed when"
            + " the grace period ends, and it must still drain its requests after the pause")
public class ScorerPodSpec {
  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "ServiceAccount the scorer pods run as, e.g. one federated with Azure Workload Identity"
          + " (whose webhook projects its own token). The Kubernetes API token is never mounted:"
          + " the scorer does not call the API. Defaults to the namespace's default"
          + " ServiceAccount.")
  private String serviceAccountName;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Secrets of type kubernetes.io/dockerconfigjson used to pull the scorer image, e.g. from a"
          + " private Azure Container Registry.")
  private List<LocalObjectReference> imagePullSecrets;

  @Size(max = 32)
  @JsonPropertyDescription("Node labels the scorer pods must run on, e.g. agentpool: gpu.")
  private Map<String, @Size(max = 63) String> nodeSelector;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Taints the scorer pods tolerate, e.g. a dedicated or GPU node pool's taint.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription("Node and pod affinity of the scorer pods, as in a pod spec.")
  private Affinity affinity;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Extra environment variables of the scorer container. The operator's own variables"
          + " (MLWS_*, APPLICATIONINSIGHTS_*, JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, _JAVA_OPTIONS) cannot be set"
          + " here.")
  private List<EnvVariable> env;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Annotations added to the scorer pods, e.g. for a service mesh or a log shipper. Changing"
          + " them rolls the pods.")
  private Map<String, @Size(max = 4096) String> annotations;

  @Size(max = 32)
  @ValidationRule(
      value = "self.all(k, !k.startsWith('app.kubernetes.io/'))",
      message =
          "pod labels under app.kubernetes.io/ are set by the operator (they select the pods) and"
              + " cannot be overridden")
  @JsonPropertyDescription(
      "Labels added to the scorer pods, e.g. azure.workload.identity/use: \"true\". Keys under"
          + " app.kubernetes.io/ are the operator's.")
  private Map<String, @Size(max = 63) String> labels;

  @Size(max = 8)
  @JsonPropertyDescription(
      "How the scorer pods spread over nodes and zones, as in a pod spec; a constraint without a"
          + " labelSelector selects this service's pods. Defaults to a soft spread (maxSkew 1,"
          + " ScheduleAnyway) over kubernetes.io/hostname and topology.kubernetes.io/zone, so"
          + " that replicas land on different nodes and zones where they can.")
  private List<TopologySpreadConstraint> topologySpreadConstraints;

  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "PriorityClass of the scorer pods, e.g. one that keeps a serving model ahead of batch jobs"
          + " when the cluster is full.")
  private String priorityClassName;

  @Min(0)
  @Max(300)
  @Default(SpecDefaults.PRE_STOP_PAUSE_SECONDS)
  @JsonPropertyDescription(
      "Seconds a terminating scorer pod keeps serving before it is told to stop (a preStop sleep),"
          + " so that kube-proxy, ingress controllers and load balancers stop sending it requests"
          + " first: rollouts, Secret rotations and scale-in drop nothing. 0 turns the pause off."
          + " Defaults to "
          + SpecDefaults.PRE_STOP_PAUSE_SECONDS
          + ".")
  private Integer preStopPauseSeconds;

  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "The scorer pods' terminationGracePeriodSeconds: the pre-stop pause, then the drain of"
          + " requests in flight, which gets what is left minus a margin of 5 s. Must exceed"
          + " preStopPauseSeconds. Defaults to preStopPauseSeconds + 25 (a 20 s drain).")
  private Long terminationGracePeriodSeconds;

  public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
    return topologySpreadConstraints;
  }

  public void setTopologySpreadConstraints(
      List<TopologySpreadConstraint> topologySpreadConstraints) {
    this.topologySpreadConstraints = topologySpreadConstraints;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public Integer getPreStopPauseSeconds() {
    return preStopPauseSeconds;
  }

  public void setPreStopPauseSeconds(Integer preStopPauseSeconds) {
    this.preStopPauseSeconds = preStopPauseSeconds;
  }

  public Long getTerminationGracePeriodSeconds() {
    return terminationGracePeriodSeconds;
  }

  public void setTerminationGracePeriodSeconds(Long terminationGracePeriodSeconds) {
    this.terminationGracePeriodSeconds = terminationGracePeriodSeconds;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public List<EnvVariable> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVariable> env) {
    this.env = env;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }
}
