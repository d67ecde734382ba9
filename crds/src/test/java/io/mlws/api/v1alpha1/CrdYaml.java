package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/** Reads the committed CRD (and what kustomize makes of it) as a JSON tree for the tests here. */
final class CrdYaml {
  static final Path CRD = Path.of("manifests/mlwebservices.mlws.io.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private CrdYaml() {}

  static JsonNode read(Path file) throws IOException {
    return YAML.readTree(file.toFile());
  }

  static JsonNode read(String yaml) throws IOException {
    return YAML.readTree(yaml);
  }

  /**
   * Visits every field below a schema with its path ({@code spec.pod.env[].name}: {@code []} for a
   * list's items).
   */
  static void eachField(JsonNode schema, String path, BiConsumer<String, JsonNode> visit) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            field -> {
              String fieldPath = path + "." + field.getKey();
              visit.accept(fieldPath, field.getValue());
              eachField(field.getValue(), fieldPath, visit);
              eachField(field.getValue().path("items"), fieldPath + "[]", visit);
            });
  }
}
