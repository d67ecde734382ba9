package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.mlws.operator.harness.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.networkPolicy on the real node, enforced by kube-router's firewall: a pod named by label and
 * a pod of a namespace named by label reach the scoring port through the ClusterIP, an unnamed pod
 * of the same namespace never does; once the field is removed, the operator deletes the
 * NetworkPolicy and the unnamed pod gets through.
 */
class NetworkPolicyE2E {
  static final String SERVICE = "sklearn-logreg";

  @RegisterExtension static final E2eScenario scenario = new E2eScenario("netpol");

  @Test
  void aNetworkPolicyAdmitsOnlyTheNamedCallers() throws Exception {
    assumeFalse(E2eCluster.OTHER_CLUSTER, "needs the local node's NetworkPolicy engine");
    String ns = scenario.namespace();
    scenario.createSmall(SERVICE, "sklearn-logreg-zipmap.onnx", 1, "");
    scenario.awaitReady(SERVICE);
    scenario.awaitReadyAt(
        SERVICE,
        scenario.patch(
            SERVICE,
            """
            {"spec":{"networkPolicy":{"from":[
              {"podSelector":{"matchLabels":{"mlws-e2e/caller":"yes"}}},
              {"namespaceSelector":{"matchLabels":{"mlws-e2e/callers":"%s"}}}]}}}"""
                .formatted(ns)));
    await("the operator's NetworkPolicy")
        .atMost(Duration.ofSeconds(30))
        .until(() -> networkPolicy() != null);
    String callers = LocalCluster.shared().createNamespaceOnTheRealNode("e2e-callers");
    scenario
        .client()
        .namespaces()
        .withName(callers)
        .edit(
            n -> {
              n.getMetadata().getLabels().put("mlws-e2e/callers", ns);
              return n;
            });
    String image = scenario.pods(SERVICE).get(0).getSpec().getContainers().get(0).getImage();
    String host = scenario.clusterIp(SERVICE);
    var client = scenario.client();
    List<CallerPod> callerPods = new ArrayList<>();
    try {
      CallerPod named =
          CallerPod.start(
              client, ns, "caller-named", Map.of("mlws-e2e/caller", "yes"), image, host, 80);
      CallerPod inNamedNamespace =
          CallerPod.start(client, callers, "caller-any", Map.of(), image, host, 80);
      CallerPod unnamed = CallerPod.start(client, ns, "caller-unnamed", Map.of(), image, host, 80);
      callerPods.addAll(List.of(named, inNamedNamespace, unnamed));
      await("both named callers reach the scoring port, and the unnamed one has tried 6 times")
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  named.attempts().contains(CallerPod.REACHED)
                      && inNamedNamespace.attempts().contains(CallerPod.REACHED)
                      && unnamed.attempts().size() >= 6);
      List<String> refusedWhilePolicy = unnamed.attempts();
      System.out.println(
          "NetworkPolicyE2E: with the NetworkPolicy, the unnamed caller's attempts: "
              + refusedWhilePolicy);
      assertThat(refusedWhilePolicy).containsOnly(CallerPod.REFUSED);

      scenario.patch(SERVICE, "{\"spec\":{\"networkPolicy\":null}}");
      await("the NetworkPolicy deleted with the field")
          .atMost(Duration.ofSeconds(30))
          .until(() -> networkPolicy() == null);
      int before = unnamed.attempts().size();
      await("the unnamed caller gets through once no policy stands in the way")
          .atMost(Duration.ofMinutes(1))
          .until(
              () -> unnamed.attempts().stream().skip(before).anyMatch(CallerPod.REACHED::equals));
    } finally {
      callerPods.forEach(CallerPod::delete);
      scenario.kubectl("delete", "namespace", callers, "--wait=false");
    }
  }

  static NetworkPolicy networkPolicy() {
    return scenario
        .client()
        .network()
        .networkPolicies()
        .inNamespace(scenario.namespace())
        .withName(SERVICE)
        .get();
  }
}
