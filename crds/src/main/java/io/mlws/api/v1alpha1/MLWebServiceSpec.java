package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What the user asks for: the model, how many pods serve it, and which telemetry they send. */
@JsonClassDescription(
    "What the user asks for: the model, how many pods serve it, how they are scheduled and sized, and which telemetry and data collection they send.")
@ValidationRule(
    value = "!(has(self.replicas) && has(self.autoscaling))",
    message = "set either spec.replicas or spec.autoscaling, not both")
@ValidationRule(
    value = "!has(self.versions) || self.versions.map(v, v.weight).sum() <= 100",
    message =
        "the weights of spec.versions must not add up to more than 100: spec.model's version"
            + " answers the rest")
public class MLWebServiceSpec {
  @Required
  @JsonPropertyDescription("The model to serve.")
  private ModelSpec model;

  @Size(max = 512)
  @JsonPropertyDescription(
      "Container image of the scorer. Defaults to the scorer image configured in the operator"
          + " (MLWS_SCORER_IMAGE).")
  private String image;

  @JsonPropertyDescription(
      "CPU and memory requests and limits of the scorer container. Defaults to requests of "
          + SpecDefaults.CPU_REQUEST
          + " CPU (what a new pod warming up uses, under the autoscaler's target) and "
          + SpecDefaults.MEMORY_REQUEST
          + " memory and a "
          + SpecDefaults.MEMORY_LIMIT
          + " memory limit.")
  private ScorerResources resources;

  @JsonPropertyDescription(
      "Scorer pod settings: service account, image pull secrets, node selection, tolerations,"
          + " affinity, topology spread, priority class, extra environment variables, pod"
          + " annotations and labels, and how a pod ends (pre-stop pause, grace period).")
  private ScorerPodSpec pod;

  @Min(0)
  @JsonPropertyDescription(
      "Number of scorer pods. Defaults to 1; 0 scales the service to zero (Ready, nothing"
          + " answers). Leave it unset when spec.autoscaling is set.")
  private Integer replicas;

  @JsonPropertyDescription(
      "Scale the scorer with a HorizontalPodAutoscaler instead of a fixed replica count."
          + " Mutually exclusive with spec.replicas.")
  private AutoscalingSpec autoscaling;

  @JsonPropertyDescription(
      "Azure Application Insights telemetry: requests, dependencies, exceptions and traces.")
  private AppInsightsSpec appInsights;

  @JsonPropertyDescription(
      "Model data collection: one model_data_collection trace per scored request with its input"
          + " and prediction. Sent through Application Insights.")
  private DataCollectionSpec dataCollection;

  @JsonPropertyDescription(
      "Who may call the scoring endpoints: anyone (None, the default), callers with a key (Keys)"
          + " or callers with a Microsoft Entra ID token (EntraId).")
  private AuthSpec auth;

  @JsonPropertyDescription(
      "Limit who may reach the scorer pods through the cluster's network: the operator keeps a"
          + " NetworkPolicy named after this service that admits only the callers listed in from."
          + " Unset: no NetworkPolicy (anyone who reaches the Service). Enforced only where the"
          + " cluster runs a NetworkPolicy engine (on AKS: Azure Network Policy Manager, Calico or"
          + " Cilium).")
  private NetworkPolicySpec networkPolicy;

  @Size(max = SpecDefaults.MAX_VERSIONS)
  @JsonPropertyDescription(
      "More model versions behind the same URL, keys and NetworkPolicy, each in pods of its own"
          + " and answering its weight in percent of the calls; spec.model's version, named"
          + " '"
          + SpecDefaults.DEFAULT_VERSION_NAME
          + "', answers the rest. The scorer pods route each call themselves, so weights hold at"
          + " any replica count without a mesh. The header azureml-model-deployment: NAME pins a"
          + " call to a version.")
  private List<ModelVersionSpec> versions;

  @JsonPropertyDescription(
      "How each scorer pod takes requests: the scoring timeout, concurrency, queue wait, and the"
          + " largest request (Azure ML v1's per-replica settings). Unset fields keep the scorer's"
          + " defaults.")
  private ScoringSpec scoring;

  @JsonPropertyDescription(
      "The timing of the scorer container's liveness and readiness probes (Azure ML v1's"
          + " liveness_probe_* settings). Unset fields keep the defaults each field names.")
  private ProbesSpec probes;

  public NetworkPolicySpec getNetworkPolicy() {
    return networkPolicy;
  }

  public void setNetworkPolicy(NetworkPolicySpec networkPolicy) {
    this.networkPolicy = networkPolicy;
  }

  public AuthSpec getAuth() {
    return auth;
  }

  public void setAuth(AuthSpec auth) {
    this.auth = auth;
  }

  public ModelSpec getModel() {
    return model;
  }

  public void setModel(ModelSpec model) {
    this.model = model;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ScorerResources getResources() {
    return resources;
  }

  public void setResources(ScorerResources resources) {
    this.resources = resources;
  }

  public ScorerPodSpec getPod() {
    return pod;
  }

  public void setPod(ScorerPodSpec pod) {
    this.pod = pod;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public AutoscalingSpec getAutoscaling() {
    return autoscaling;
  }

  public void setAutoscaling(AutoscalingSpec autoscaling) {
    this.autoscaling = autoscaling;
  }

  public AppInsightsSpec getAppInsights() {
    return appInsights;
  }

  public void setAppInsights(AppInsightsSpec appInsights) {
    this.appInsights = appInsights;
  }

  public DataCollectionSpec getDataCollection() {
    return dataCollection;
  }

  public void setDataCollection(DataCollectionSpec dataCollection) {
    this.dataCollection = dataCollection;
  }

  public List<ModelVersionSpec> getVersions() {
    return versions;
  }

  public void setVersions(List<ModelVersionSpec> versions) {
    this.versions = versions;
  }

  public ScoringSpec getScoring() {
    return scoring;
  }

  public void setScoring(ScoringSpec scoring) {
    this.scoring = scoring;
  }

  public ProbesSpec getProbes() {
    return probes;
  }

  public void setProbes(ProbesSpec probes) {
    this.probes = probes;
  }
}
