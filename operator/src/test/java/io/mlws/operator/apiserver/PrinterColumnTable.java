package io.mlws.operator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a list of custom resources as the meta.k8s.io Table that kube-apiserver builds from a
 * CRD's additionalPrinterColumns, so `kubectl get mlws` shows the columns users will see. Supports
 * the JSONPath forms our CRD uses: .a.b and .a[?(@.k=="v")].b.
 */
final class PrinterColumnTable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FILTER =
      Pattern.compile("^(\\w+)\\[\\?\\(@\\.(\\w+)==\"([^\"]*)\"\\)\\]$");

  private PrinterColumnTable() {}

  static String render(JsonNode crd, JsonNode list, Instant now) {
    ObjectNode table = JSON.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table
        .putObject("metadata")
        .put("resourceVersion", list.at("/metadata/resourceVersion").asText(""));
    ArrayNode definitions = table.putArray("columnDefinitions");
    definitions
        .addObject()
        .put("name", "Name")
        .put("type", "string")
        .put("format", "name")
        .put("priority", 0);
    JsonNode columns = crd.at("/spec/versions/0/additionalPrinterColumns");
    for (JsonNode column : columns) {
      definitions
          .addObject()
          .put("name", column.get("name").asText())
          .put("type", column.get("type").asText())
          .put("format", "")
          .put("priority", column.path("priority").asInt(0));
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode item : list.path("items")) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(item.at("/metadata/name").asText());
      for (JsonNode column : columns) {
        JsonNode value = evaluate(item, column.get("jsonPath").asText());
        if (value == null || value.isMissingNode() || value.isNull()) {
          cells.addNull();
        } else if ("date".equals(column.get("type").asText())) {
          cells.add(age(Instant.parse(value.asText()), now));
        } else {
          cells.add(value.isValueNode() ? value.asText() : value.toString());
        }
      }
      ObjectNode object = row.putObject("object");
      object.put("kind", "PartialObjectMetadata");
      object.put("apiVersion", "meta.k8s.io/v1");
      object.set("metadata", item.get("metadata"));
    }
    return table.toString();
  }

  static JsonNode evaluate(JsonNode item, String jsonPath) {
    JsonNode node = item;
    for (String segment : jsonPath.substring(1).split("\\.(?![^\\[]*\\])")) {
      Matcher filter = FILTER.matcher(segment);
      if (filter.matches()) {
        JsonNode match = null;
        for (JsonNode element : node.path(filter.group(1))) {
          if (filter.group(3).equals(element.path(filter.group(2)).asText())) {
            match = element;
            break;
          }
        }
        if (match == null) {
          return null;
        }
        node = match;
      } else {
        node = node.path(segment);
      }
    }
    return node;
  }

  private static String age(Instant created, Instant now) {
    Duration age = Duration.between(created, now);
    if (age.toMinutes() < 2) {
      return Math.max(0, age.toSeconds()) + "s";
    }
    if (age.toHours() < 2) {
      return age.toMinutes() + "m";
    }
    return age.toHours() < 48 ? age.toHours() + "h" : age.toDays() + "d";
  }
}
