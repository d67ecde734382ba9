package io.mlws.scorer.protocol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlws.scorer.model.ElementType;
import io.mlws.scorer.model.ModelKind;
import io.mlws.scorer.model.ModelSignature;
import io.mlws.scorer.model.OnnxModel;
import io.mlws.scorer.model.TensorSpec;
import java.util.List;

/**
 * The OpenAPI 2.0 document Azure ML web services publish at /swagger.json, written from the model's
 * signature and kind: the row each input takes, and what a classifier, regressor or generic model
 * returns.
 */
public final class SwaggerDocument {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SwaggerDocument() {}

  public static ObjectNode of(OnnxModel model, String name, String version) {
    ModelSignature signature = model.signature();
    ObjectNode doc = NODES.objectNode();
    doc.put("swagger", "2.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", name);
    info.put("version", version);
    info.put("description", signature.description());
    doc.putArray("schemes").add("http");
    doc.putArray("consumes").add("application/json");
    doc.putArray("produces").add("application/json");

    ObjectNode score = doc.putObject("paths").putObject("/score").putObject("post");
    score.put("operationId", "Score");
    score.put("description", model.kind().describe());
    ObjectNode body = score.putArray("parameters").addObject();
    body.put("name", "ServiceInput");
    body.put("in", "body");
    body.put("required", true);
    body.putObject("schema").put("$ref", "#/definitions/ServiceInput");
    ObjectNode responses = score.putObject("responses");
    ObjectNode ok = responses.putObject("200");
    ok.put("description", "Predictions");
    ok.putObject("schema").put("$ref", "#/definitions/ServiceOutput");
    responses.putObject("400").put("description", "The input is not valid; the body says why");

    ObjectNode definitions = doc.putObject("definitions");
    definitions.set("ServiceInput", input(signature));
    definitions.set("ServiceOutput", output(model.kind(), signature));
    return doc;
  }

  private static ObjectNode input(ModelSignature signature) {
    ObjectNode input = NODES.objectNode();
    input.put("type", "object");
    input.putArray("required").add("data");
    ObjectNode data = input.putObject("properties").putObject("data");
    data.put("type", "array");
    ArrayNode example = input.putObject("example").putArray("data");
    if (signature.inputs().size() == 1) {
      TensorSpec only = signature.inputs().get(0);
      ObjectNode row = tensor(only.type(), only.rowShape());
      List<String> features = signature.featureNames();
      if (!features.isEmpty()) {
        row.put("description", "Feature values in this order: " + String.join(", ", features));
      }
      data.set("items", row);
      example.add(exampleOf(only.type(), only.rowShape(), 0));
    } else {
      ObjectNode row = data.putObject("items");
      row.put("type", "object");
      ArrayNode required = row.putArray("required");
      ObjectNode properties = row.putObject("properties");
      ObjectNode exampleRow = example.addObject();
      for (TensorSpec spec : signature.inputs()) {
        required.add(spec.name());
        properties.set(spec.name(), tensor(spec.type(), spec.rowShape()));
        exampleRow.set(spec.name(), exampleOf(spec.type(), spec.rowShape(), 0));
      }
    }
    return input;
  }

  private static ObjectNode output(ModelKind kind, ModelSignature signature) {
    ObjectNode output = NODES.objectNode();
    output.put("type", "object");
    output.put("description", kind.describe());
    ObjectNode properties = output.putObject("properties");
    if (kind instanceof ModelKind.Classifier c) {
      ObjectNode predictions = properties.putObject("predictions");
      predictions.put("type", "array");
      ElementType labelType =
          c.labelOutput().map(l -> signature.output(l).type()).orElse(ElementType.STRING);
      ObjectNode label = predictions.putObject("items");
      label.setAll(scalar(labelType));
      List<String> classes = knownClasses(c, signature);
      if (c.labelOutput().isEmpty() && !classes.isEmpty()) {
        ArrayNode names = label.putArray("enum");
        classes.forEach(names::add);
      }
      if (c.scoreOutput().isPresent()) {
        ObjectNode probabilities = properties.putObject("probabilities");
        probabilities.put("type", "array");
        ObjectNode byClass = probabilities.putObject("items");
        byClass.put("type", "object");
        byClass.put("description", "The probability (or score) of each class, by class name");
        byClass.set("additionalProperties", scalar(ElementType.FLOAT));
        ObjectNode byName = byClass.putObject("properties");
        classes.forEach(name -> byName.set(name, scalar(ElementType.FLOAT)));
      }
    } else if (kind instanceof ModelKind.Regressor r) {
      TensorSpec values = signature.output(r.output());
      boolean onePerRow = values.rank() == 1 || values.shape()[1] == 1;
      ObjectNode predictions = properties.putObject("predictions");
      predictions.put("type", "array");
      predictions.set(
          "items", onePerRow ? scalar(values.type()) : tensor(values.type(), values.rowShape()));
    } else {
      ObjectNode outputs = properties.putObject("outputs");
      outputs.put("type", "object");
      ObjectNode byName = outputs.putObject("properties");
      for (TensorSpec spec : signature.outputs()) {
        byName.set(spec.name(), tensor(spec.type(), spec.shape()));
      }
    }
    return output;
  }

  /** Class names known before any request: a plain score tensor of fixed width. */
  private static List<String> knownClasses(ModelKind.Classifier c, ModelSignature signature) {
    return c.scoreOutput()
        .filter(s -> !signature.isZipMap(s))
        .map(signature::output)
        .filter(s -> s.rank() == 2 && s.shape()[1] > 0)
        .map(s -> c.classNames().of((int) s.shape()[1]))
        .orElse(List.of());
  }

  /** A nested-array schema for a shape, e.g. [4] is an array of 4 numbers. */
  private static ObjectNode tensor(ElementType type, long[] shape) {
    ObjectNode schema = scalar(type);
    for (int d = shape.length - 1; d >= 0; d--) {
      ObjectNode array = NODES.objectNode();
      array.put("type", "array");
      if (shape[d] >= 0) {
        array.put("minItems", shape[d]);
        array.put("maxItems", shape[d]);
      }
      array.set("items", schema);
      schema = array;
    }
    return schema;
  }

  private static ObjectNode scalar(ElementType type) {
    ObjectNode schema = NODES.objectNode();
    switch (type) {
      case FLOAT -> schema.put("type", "number").put("format", "float");
      case DOUBLE -> schema.put("type", "number").put("format", "double");
      case INT64 -> schema.put("type", "integer").put("format", "int64");
      case INT32 -> schema.put("type", "integer").put("format", "int32");
      case BOOL -> schema.put("type", "boolean");
      case STRING -> schema.put("type", "string");
    }
    return schema;
  }

  private static com.fasterxml.jackson.databind.JsonNode exampleOf(
      ElementType type, long[] shape, int depth) {
    if (depth == shape.length) {
      return switch (type) {
        case FLOAT, DOUBLE -> NODES.numberNode(1.0);
        case INT64, INT32 -> NODES.numberNode(1);
        case BOOL -> NODES.booleanNode(true);
        case STRING -> NODES.textNode("a");
      };
    }
    ArrayNode array = NODES.arrayNode();
    long size = shape[depth] > 0 ? shape[depth] : 1;
    for (long i = 0; i < size; i++) {
      array.add(exampleOf(type, shape, depth + 1));
    }
    return array;
  }
}
