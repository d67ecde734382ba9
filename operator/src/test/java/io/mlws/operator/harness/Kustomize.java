package io.mlws.operator.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.mlws.api.v1alpha1.MLWebService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Renders a kustomize directory with the real kubectl, as `kubectl apply -k` would. */
public final class Kustomize {
  public static final Path DEPLOY = Path.of("../deploy");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static {
    SERIALIZATION.registerKubernetesResource(MLWebService.class);
  }

  private Kustomize() {}

  public static String render(Path directory) throws IOException, InterruptedException {
    return Kubectl.kustomize(directory);
  }

  /** Each rendered document as the typed fabric8 object its apiVersion and kind name. */
  public static List<HasMetadata> objects(String yaml) throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    for (JsonNode doc :
        mapper.readValues(new YAMLFactory().createParser(yaml), JsonNode.class).readAll()) {
      objects.add(SERIALIZATION.unmarshal(doc.toString(), HasMetadata.class));
    }
    return objects;
  }
}
