package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;

/** Reads the committed CRD (and what kustomize makes of it) as a JSON tree for the tests here. */
final class CrdYaml {
  static final Path CRD = Path.of("manifests/mlwebservices.mlws.io-v1.yml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private CrdYaml() {}

  static JsonNode read(Path file) throws IOException {
    return YAML.readTree(file.toFile());
  }

  static JsonNode read(String yaml) throws IOException {
    return YAML.readTree(yaml);
  }
}
