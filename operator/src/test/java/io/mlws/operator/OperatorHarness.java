package io.mlws.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.apiserver.TestApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The real operator, wired as in production, running against a {@link TestApiServer}. */
final class OperatorHarness implements AutoCloseable {
  static final String NS = TestApiServer.NAMESPACE;

  final TestApiServer api;
  final KubernetesClient client;
  final KubernetesClient operatorClient;
  final MlwsOperator operator;

  OperatorHarness(OperatorConfig config) {
    api = TestApiServer.start();
    client = api.client();
    operatorClient = api.operatorClient();
    operator = OperatorWiring.build(operatorClient, config, new SimpleMeterRegistry());
    operator.start();
  }

  MLWebService apply(String yaml) {
    return apply(client, yaml);
  }

  static MLWebService apply(KubernetesClient client, String yaml) {
    MLWebService mlws = client.getKubernetesSerialization().unmarshal(yaml, MLWebService.class);
    return client.resources(MLWebService.class).inNamespace(NS).resource(mlws).create();
  }

  MLWebService mergePatch(String name, String json) {
    return mergePatch(client, name, json);
  }

  static MLWebService mergePatch(KubernetesClient client, String name, String json) {
    return client
        .resources(MLWebService.class)
        .inNamespace(NS)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }

  MLWebService get(String name) {
    return client.resources(MLWebService.class).inNamespace(NS).withName(name).get();
  }

  Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  Deployment awaitDeployment(String name) {
    await().atMost(Duration.ofSeconds(20)).until(() -> deployment(name) != null);
    return deployment(name);
  }

  void createSecret(String name, Map<String, String> stringData) {
    createSecret(client, name, stringData);
  }

  static void createSecret(KubernetesClient client, String name, Map<String, String> stringData) {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .endMetadata()
            .withStringData(stringData)
            .build();
    client.secrets().inNamespace(NS).resource(secret).create();
  }

  /** Plays the Deployment controller: every desired replica updated, ready and available. */
  void markDeploymentAvailable(String name) {
    Deployment deployment = deployment(name);
    int replicas =
        deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    deployment.setStatus(
        new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
            .withObservedGeneration(deployment.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(replicas)
            .withAvailableReplicas(replicas)
            .addNewCondition()
            .withType("Available")
            .withStatus("True")
            .withReason("MinimumReplicasAvailable")
            .endCondition()
            .build());
    client.apps().deployments().inNamespace(NS).resource(deployment).updateStatus();
  }

  HorizontalPodAutoscaler autoscaler(String name) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(NS)
        .withName(name)
        .get();
  }

  PodDisruptionBudget budget(String name) {
    return client.policy().v1().podDisruptionBudget().inNamespace(NS).withName(name).get();
  }

  List<Event> eventsFor(String name) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  static List<String> envNames(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .map(e -> e.getName())
        .toList();
  }

  @Override
  public void close() {
    operator.stop();
    operatorClient.close();
    api.close();
  }
}
