package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bounds for every list, string and map of the spec that has none: the Kubernetes types the schema
 * embeds (affinity, topology spread, network policy peers, env sources, tolerations) are unbounded
 * upstream, and an unbounded field lets one tenant make the operator cache, and every pod template
 * carry, as much as the API server accepts. Our own fields carry their bounds in the Java types
 * ({@code @Size}); what is set there is kept. The figures are generous for real use: a label value
 * is 63 characters, a qualified key 317, a name 253.
 */
final class CrdBounds {
  static final int LIST_ITEMS = 16;
  static final int MAP_ENTRIES = 64;
  static final int STRING_LENGTH = 253;

  /** Lists whose items are values to match: more of them than of terms or expressions. */
  static final Map<String, Integer> LIST_ITEMS_BY_NAME =
      Map.of("values", 64, "except", 32, "namespaces", 32);

  /** Strings whose kind has a length Kubernetes itself validates elsewhere. */
  static final Map<String, Integer> STRING_LENGTH_BY_NAME =
      Map.ofEntries(
          Map.entry("key", 317),
          Map.entry("topologyKey", 317),
          Map.entry("matchLabelKeys", 317),
          Map.entry("mismatchLabelKeys", 317),
          Map.entry("value", 63),
          Map.entry("cidr", 49),
          Map.entry("except", 49),
          Map.entry("operator", 32),
          Map.entry("effect", 32),
          Map.entry("whenUnsatisfiable", 32),
          Map.entry("nodeAffinityPolicy", 32),
          Map.entry("nodeTaintsPolicy", 32),
          Map.entry("path", 1024));

  /** A map's values: label values, or quantities in resources. */
  static final int MAP_VALUE_LENGTH = 63;

  private CrdBounds() {}

  /** Bounds every unbounded list, string, map and int-or-string below the spec. */
  static void bound(ObjectNode spec) {
    bound(spec, "spec");
  }

  /** The fields below the spec without a bound, by path; empty once {@link #bound} ran. */
  static List<String> unbounded(JsonNode spec) {
    List<String> found = new ArrayList<>();
    visit(
        spec,
        "spec",
        (path, node) -> {
          if (!bounded(node)) {
            found.add(path);
          }
        });
    return found;
  }

  private static void bound(ObjectNode spec, String root) {
    visit(
        spec,
        root,
        (path, node) -> {
          if (bounded(node)) {
            return;
          }
          ObjectNode field = (ObjectNode) node;
          String name = leafName(path);
          switch (kind(field)) {
            case LIST -> field.put("maxItems", LIST_ITEMS_BY_NAME.getOrDefault(name, LIST_ITEMS));
            case MAP -> field.put("maxProperties", MAP_ENTRIES);
            case STRING, INT_OR_STRING ->
                field.put(
                    "maxLength",
                    path.endsWith("{}")
                        ? MAP_VALUE_LENGTH
                        : STRING_LENGTH_BY_NAME.getOrDefault(name, STRING_LENGTH));
            case OTHER -> {}
          }
          CrdCompletion.sortKeys(field);
        });
  }

  private enum Kind {
    LIST,
    MAP,
    STRING,
    INT_OR_STRING,
    OTHER
  }

  private static Kind kind(JsonNode node) {
    if (node.path("x-kubernetes-int-or-string").asBoolean()) {
      return Kind.INT_OR_STRING;
    }
    return switch (node.path("type").asText()) {
      case "array" -> Kind.LIST;
      case "string" -> Kind.STRING;
      case "object" -> node.has("additionalProperties") ? Kind.MAP : Kind.OTHER;
      default -> Kind.OTHER;
    };
  }

  private static boolean bounded(JsonNode node) {
    return switch (kind(node)) {
      case LIST -> node.has("maxItems");
      case MAP -> node.has("maxProperties");
      case STRING -> node.has("maxLength") || node.has("enum");
      case INT_OR_STRING -> node.has("maxLength");
      case OTHER -> true;
    };
  }

  /** {@code spec.pod.tolerations[].key} is named {@code key}; a list's items by the list's name. */
  private static String leafName(String path) {
    String last = path.substring(path.lastIndexOf('.') + 1);
    return last.replace("[]", "").replace("{}", "");
  }

  /** Visits a node and everything below it: properties, list items ([]) and map values ({}). */
  private static void visit(JsonNode node, String path, Visitor visitor) {
    visitor.visit(path, node);
    node.path("properties")
        .fields()
        .forEachRemaining(field -> visit(field.getValue(), path + "." + field.getKey(), visitor));
    if (node.path("items").isObject()) {
      visit(node.get("items"), path + "[]", visitor);
    }
    if (node.path("additionalProperties").isObject()) {
      visit(node.get("additionalProperties"), path + "{}", visitor);
    }
  }

  private interface Visitor {
    void visit(String path, JsonNode node);
  }
}
