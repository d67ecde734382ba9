package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admits an MLWebService the way kube-apiserver would, offline: defaulting, then the OpenAPI schema
 * (with strict field validation, kubectl's default), then the CEL rules of the CRD.
 *
 * <p>What only a real API server adds: its own CEL library functions (none are used by our rules),
 * ratcheting of unchanged fields on update, and metadata validation.
 */
final class OfflineAdmission {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonNode openApiSchema;
  private final JsonSchema jsonSchema;
  private final CelCompiler cel =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private final CelRuntime celRuntime = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  OfflineAdmission(Path crdFile) throws IOException {
    JsonNode crd = YAML.readTree(crdFile.toFile());
    openApiSchema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    jsonSchema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(asStrictJsonSchema(openApiSchema.deepCopy()));
  }

  static JsonNode readYaml(Path file) throws IOException {
    return YAML.readTree(file.toFile());
  }

  static JsonNode readYaml(String yaml) throws IOException {
    return YAML.readTree(yaml);
  }

  /** Returns the reasons the server would refuse the object; empty when it would be admitted. */
  List<String> admit(JsonNode resource) {
    ObjectNode object = resource.deepCopy();
    object.remove(List.of("apiVersion", "kind", "metadata"));
    applyDefaults(openApiSchema, object);
    List<String> errors = new ArrayList<>();
    for (ValidationMessage message : jsonSchema.validate(object)) {
      errors.add(message.getMessage());
    }
    if (errors.isEmpty()) {
      evaluateRules(openApiSchema, object, "", errors);
    }
    return errors;
  }

  private static JsonNode asStrictJsonSchema(JsonNode node) {
    if (node instanceof ObjectNode schema) {
      schema.remove(List.of("x-kubernetes-validations", "x-kubernetes-int-or-string"));
      if (schema.has("properties") && !schema.has("additionalProperties")) {
        schema.put("additionalProperties", false);
      }
      schema.forEach(OfflineAdmission::asStrictJsonSchema);
    } else if (node instanceof ArrayNode array) {
      array.forEach(OfflineAdmission::asStrictJsonSchema);
    }
    return node;
  }

  private static void applyDefaults(JsonNode schema, JsonNode value) {
    if (value instanceof ObjectNode object && schema.has("properties")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        if (!object.has(property.getKey()) && property.getValue().has("default")) {
          object.set(property.getKey(), property.getValue().get("default").deepCopy());
        }
        if (object.has(property.getKey())) {
          applyDefaults(property.getValue(), object.get(property.getKey()));
        }
      }
    } else if (value instanceof ArrayNode array && schema.has("items")) {
      array.forEach(item -> applyDefaults(schema.get("items"), item));
    }
  }

  private void evaluateRules(JsonNode schema, JsonNode value, String path, List<String> errors) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      if (!passes(rule.get("rule").asText(), value)) {
        errors.add(path + ": " + rule.path("message").asText(rule.get("rule").asText()));
      }
    }
    if (value.isObject() && schema.has("properties")) {
      schema
          .get("properties")
          .fields()
          .forEachRemaining(
              p -> {
                if (value.has(p.getKey())) {
                  evaluateRules(
                      p.getValue(), value.get(p.getKey()), path + "." + p.getKey(), errors);
                }
              });
    }
  }

  private boolean passes(String rule, JsonNode self) {
    try {
      var ast = cel.compile(rule).getAst();
      Object result = celRuntime.createProgram(ast).eval(Map.of("self", toCel(self)));
      return Boolean.TRUE.equals(result);
    } catch (Exception e) {
      throw new IllegalStateException("CEL rule cannot be evaluated: " + rule, e);
    }
  }

  private static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(f -> map.put(f.getKey(), toCel(f.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(toCel(n)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }
}
