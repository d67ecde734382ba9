package io.mlws.scorer.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlws.scorer.model.OnnxModel;

/**
 * The OpenAPI 2.0 document Azure ML web services publish at /swagger.json, written from the ONNX
 * model's own description: its input width, feature names and classes.
 */
public final class SwaggerDocument {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SwaggerDocument() {}

  public static ObjectNode of(OnnxModel model, String name, String version) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("swagger", "2.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", name);
    info.put("version", version);
    info.put("description", model.description());
    doc.putArray("schemes").add("http");
    doc.putArray("consumes").add("application/json");
    doc.putArray("produces").add("application/json");

    ObjectNode score = doc.putObject("paths").putObject("/score").putObject("post");
    score.put("operationId", "Score");
    score.put("description", "Predicts the class of each row and the probability of every class.");
    ObjectNode body = score.putArray("parameters").addObject();
    body.put("name", "ServiceInput");
    body.put("in", "body");
    body.put("required", true);
    body.putObject("schema").put("$ref", "#/definitions/ServiceInput");
    ObjectNode ok = score.putObject("responses").putObject("200");
    ok.put("description", "Predictions");
    ok.putObject("schema").put("$ref", "#/definitions/ServiceOutput");
    score
        .with("responses")
        .putObject("400")
        .put("description", "The input is not valid; the body says why");

    ObjectNode definitions = doc.putObject("definitions");
    ObjectNode input = definitions.putObject("ServiceInput");
    input.put("type", "object");
    input.putArray("required").add("data");
    ObjectNode data = input.putObject("properties").putObject("data");
    data.put("type", "array");
    ObjectNode row = data.putObject("items");
    row.put("type", "array");
    row.put("minItems", model.featureCount());
    row.put("maxItems", model.featureCount());
    row.put(
        "description", "Feature values in this order: " + String.join(", ", model.featureNames()));
    row.putObject("items").put("type", "number").put("format", "float");
    ArrayNode example = input.putObject("example").putArray("data").addArray();
    for (int i = 0; i < model.featureCount(); i++) {
      example.add(1.0);
    }

    ObjectNode output = definitions.putObject("ServiceOutput");
    output.put("type", "object");
    ObjectNode properties = output.putObject("properties");
    ObjectNode predictions = properties.putObject("predictions");
    predictions.put("type", "array");
    ArrayNode classes = predictions.putObject("items").put("type", "string").putArray("enum");
    model.labels().forEach(classes::add);
    ObjectNode probabilities = properties.putObject("probabilities");
    probabilities.put("type", "array");
    ObjectNode byClass = probabilities.putObject("items");
    byClass.put("type", "object");
    ObjectNode classProperties = byClass.putObject("properties");
    model
        .labels()
        .forEach(l -> classProperties.putObject(l).put("type", "number").put("format", "float"));
    return doc;
  }
}
