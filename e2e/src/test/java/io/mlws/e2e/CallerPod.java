package io.mlws.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A pod on the real node that calls a Service's scoring port every half second and prints, per
 * attempt, whether the network let it through ("reached", any HTTP answer) or not ("refused":
 * reset, refused or no answer within 2 s). Bash's /dev/tcp in the scorer image: no other image
 * exists here. At most 240 attempts; the test deletes it sooner.
 */
record CallerPod(KubernetesClient client, String namespace, String name) {
  static final String REACHED = "reached";
  static final String REFUSED = "refused";

  private static final String SCRIPT =
      """
      for i in $(seq 1 240); do
        if timeout 2 bash -c 'exec 3<>/dev/tcp/$0/$1 && printf "GET /healthz HTTP/1.0\\r\\n\\r\\n" >&3 \
            && head -c 8 <&3' "$TARGET_HOST" "$TARGET_PORT" 2>/dev/null | grep -q '^HTTP/'; then
          echo reached
        else
          echo refused
        fi
        sleep 0.5
      done
      """;

  static CallerPod start(
      KubernetesClient client,
      String namespace,
      String name,
      Map<String, String> labels,
      String image,
      String host,
      int port) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withTerminationGracePeriodSeconds(0L)
            .addNewContainer()
            .withName("caller")
            .withImage(image)
            .withImagePullPolicy("Never")
            .withCommand("bash", "-c", SCRIPT)
            .addNewEnv()
            .withName("TARGET_HOST")
            .withValue(host)
            .endEnv()
            .addNewEnv()
            .withName("TARGET_PORT")
            .withValue(Integer.toString(port))
            .endEnv()
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(namespace).resource(pod).create();
    return new CallerPod(client, namespace, name);
  }

  /** What each attempt so far printed, in order; empty until the container started. */
  List<String> attempts() {
    try {
      String log = client.pods().inNamespace(namespace).withName(name).getLog();
      return Arrays.stream(log.split("\n")).filter(l -> !l.isBlank()).toList();
    } catch (RuntimeException notStartedYet) {
      return List.of();
    }
  }

  void delete() {
    client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
  }
}
