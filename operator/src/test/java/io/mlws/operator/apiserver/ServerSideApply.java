package io.mlws.operator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server-side apply as kube-apiserver does it, reduced to what an operator's own objects need: the
 * manager's applied fields are merged into the live object, fields it applied before and no longer
 * applies are removed, and its ownership is recorded in metadata.managedFields (FieldsV1) so that
 * JOSDK's SSA matcher sees a real server's shape.
 *
 * <p>Simplified against a real server: every list is atomic (a real server merges lists such as
 * containers and env by key and records {@code k:} entries), there is no conflict detection between
 * managers (JOSDK always forces), and no defaulting or validation runs.
 */
final class ServerSideApply {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> SERVER_METADATA =
      Set.of(
          "name",
          "namespace",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "managedFields",
          "selfLink",
          "deletionTimestamp");

  private ServerSideApply() {}

  /**
   * Returns the object after the apply; {@code live} is null when the object does not exist yet.
   *
   * @param statusOnly true for the status subresource: only .status is taken from the request
   */
  static ObjectNode apply(ObjectNode live, ObjectNode applied, String manager, boolean statusOnly) {
    ObjectNode content = appliedContent(applied, statusOnly);
    ObjectNode fields = fieldsOf(content);
    ObjectNode result = live == null ? skeleton(applied) : live.deepCopy();
    ObjectNode previousFields = previousFields(result, manager, statusOnly);
    if (previousFields != null) {
      removeDropped(result, previousFields, fields);
    }
    merge(result, content);
    recordOwnership(result, applied, manager, fields, statusOnly);
    return result;
  }

  private static ObjectNode appliedContent(ObjectNode applied, boolean statusOnly) {
    ObjectNode content = NODES.objectNode();
    if (statusOnly) {
      if (applied.has("status")) {
        content.set("status", applied.get("status").deepCopy());
      }
      return content;
    }
    applied
        .fields()
        .forEachRemaining(
            e -> {
              if (!Set.of("apiVersion", "kind", "status").contains(e.getKey())) {
                content.set(e.getKey(), e.getValue().deepCopy());
              }
            });
    if (content.get("metadata") instanceof ObjectNode metadata) {
      metadata.remove(SERVER_METADATA);
      if (metadata.isEmpty()) {
        content.remove("metadata");
      }
    }
    return content;
  }

  private static ObjectNode skeleton(ObjectNode applied) {
    ObjectNode result = NODES.objectNode();
    result.set("apiVersion", applied.get("apiVersion"));
    result.set("kind", applied.get("kind"));
    ObjectNode metadata = result.putObject("metadata");
    metadata.set("name", applied.at("/metadata/name"));
    if (applied.at("/metadata/namespace").isTextual()) {
      metadata.set("namespace", applied.at("/metadata/namespace"));
    }
    return result;
  }

  /** FieldsV1 of the applied content: f:<name> per field, k:<key> per item of a keyed list. */
  static ObjectNode fieldsOf(JsonNode content) {
    ObjectNode fields = NODES.objectNode();
    content
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode value = e.getValue();
              ObjectNode child = NODES.objectNode();
              if (value.isObject()) {
                child = fieldsOf(value);
              } else if (value.isArray() && listKey(e.getKey(), value) != null) {
                List<String> key = listKey(e.getKey(), value);
                for (JsonNode item : value) {
                  ObjectNode keyValues = NODES.objectNode();
                  key.forEach(k -> keyValues.set(k, item.get(k)));
                  ObjectNode itemFields = fieldsOf(item);
                  itemFields.set(".", NODES.objectNode());
                  child.set("k:" + keyValues, itemFields);
                }
              }
              fields.set("f:" + e.getKey(), child);
            });
    return fields;
  }

  /**
   * The merge keys kube-apiserver's OpenAPI schema gives the associative lists our objects use; any
   * other list is atomic.
   */
  private static List<String> listKey(String field, JsonNode list) {
    if (list.isEmpty() || !list.get(0).isObject()) {
      return null;
    }
    JsonNode first = list.get(0);
    List<String> key =
        switch (field) {
          case "containers", "initContainers", "env", "volumes" -> List.of("name");
          case "volumeMounts" -> List.of("mountPath");
          case "ownerReferences" -> List.of("uid");
          case "ports" ->
              first.has("containerPort")
                  ? List.of("containerPort", "protocol")
                  : List.of("port", "protocol");
          default -> null;
        };
    if (key == null) {
      return null;
    }
    for (JsonNode item : list) {
      for (String k : key) {
        if (!item.has(k)) {
          return null;
        }
      }
    }
    return key;
  }

  private static ObjectNode previousFields(ObjectNode object, String manager, boolean statusOnly) {
    for (JsonNode entry : object.at("/metadata/managedFields")) {
      if (isEntryOf(entry, manager, statusOnly)) {
        return (ObjectNode) entry.get("fieldsV1");
      }
    }
    return null;
  }

  private static boolean isEntryOf(JsonNode entry, String manager, boolean statusOnly) {
    return manager.equals(entry.path("manager").asText())
        && "Apply".equals(entry.path("operation").asText())
        && statusOnly == "status".equals(entry.path("subresource").asText());
  }

  private static void removeDropped(ObjectNode object, ObjectNode before, ObjectNode now) {
    for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey().substring(2);
      if (!now.has(field.getKey())) {
        object.remove(name);
      } else if (!field.getValue().isEmpty()
          && object.get(name) instanceof ObjectNode child
          && now.get(field.getKey()) instanceof ObjectNode childNow) {
        removeDropped(child, (ObjectNode) field.getValue(), childNow);
      }
    }
  }

  private static void merge(ObjectNode target, ObjectNode content) {
    content
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode value = e.getValue();
              if (value.isNull()) {
                target.remove(e.getKey());
              } else if (value.isObject()
                  && !value.isEmpty()
                  && target.get(e.getKey()) instanceof ObjectNode existing) {
                merge(existing, (ObjectNode) value);
              } else {
                target.set(e.getKey(), value.deepCopy());
              }
            });
  }

  private static void recordOwnership(
      ObjectNode result,
      ObjectNode applied,
      String manager,
      ObjectNode fields,
      boolean statusOnly) {
    ObjectNode metadata = (ObjectNode) result.get("metadata");
    ArrayNode entries =
        metadata.get("managedFields") instanceof ArrayNode existing
            ? existing
            : metadata.putArray("managedFields");
    for (int i = 0; i < entries.size(); i++) {
      JsonNode entry = entries.get(i);
      if (isEntryOf(entry, manager, statusOnly)) {
        if (entry.get("fieldsV1").equals(fields)) {
          return;
        }
        entries.remove(i);
        break;
      }
    }
    ObjectNode entry = entries.addObject();
    entry.put("manager", manager);
    entry.put("operation", "Apply");
    entry.set("apiVersion", applied.get("apiVersion"));
    entry.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    entry.put("fieldsType", "FieldsV1");
    entry.set("fieldsV1", fields);
    if (statusOnly) {
      entry.put("subresource", "status");
    }
  }
}
