package io.mlws.scorer.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One collected request as the two JSON lines it is written as, one in the collection {@code
 * model_inputs} and one in {@code model_outputs}, in the shape of Azure ML's data collector: a
 * CloudEvents envelope whose {@code data} is the rows of a table (see {@link DataFrameRows}), with
 * the correlation id and the model's version, in folders {@code
 * <namespace>/<service>/<collection>/yyyy/MM/dd/HH/<pod>.jsonl} (Azure ML's {@code
 * <endpoint>/<deployment>/<collection>/yyyy/MM/dd/HH/}), so that an hour reads back with one {@code
 * pandas.read_json(path, lines=True)} per file. Each line is a spool entry: the blob it goes to, a
 * tab, and the line.
 */
public record CollectedRecord(String inputsEntry, String outputsEntry) {
  static final ObjectMapper JSON = new ObjectMapper();
  static final DateTimeFormatter HOUR_FOLDER =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

  /** Azure ML's collection names for a model's inputs and its outputs. */
  static final String INPUTS = "model_inputs";

  static final String OUTPUTS = "model_outputs";

  /** What identifies a record: the service and pod it came from, the model, the request. */
  public record Origin(
      String namespace,
      String service,
      String pod,
      String modelName,
      String modelVersion,
      Optional<String> version) {
    /** A record of a service without spec.versions. */
    public Origin(
        String namespace, String service, String pod, String modelName, String modelVersion) {
      this(namespace, service, pod, modelName, modelVersion, Optional.empty());
    }
  }

  /** The request it belongs to: the operation id Application Insights joins on, and its ids. */
  public record RequestIds(String operationId, String requestId, String clientRequestId) {}

  public static CollectedRecord of(
      Origin origin, RequestIds ids, JsonNode input, JsonNode prediction, Instant time) {
    return new CollectedRecord(
        entry(origin, INPUTS, ids, input, time), entry(origin, OUTPUTS, ids, prediction, time));
  }

  /** Whether a blob holds inputs records (one per scored request). */
  static boolean isInputs(String blob) {
    return blob.contains("/" + INPUTS + "/");
  }

  /** The blob of a kind of records for the hour of {@code time} (UTC), one per pod. */
  static String blobName(Origin origin, String kind, Instant time) {
    return origin.namespace()
        + "/"
        + origin.service()
        + "/"
        + kind
        + "/"
        + HOUR_FOLDER.format(time)
        + "/"
        + origin.pod()
        + ".jsonl";
  }

  private static String entry(
      Origin origin, String kind, RequestIds ids, JsonNode data, Instant time) {
    ObjectNode line = JSON.createObjectNode();
    line.put("specversion", "1.0");
    line.put("id", UUID.randomUUID().toString());
    line.put("source", "/mlws/namespaces/" + origin.namespace() + "/services/" + origin.service());
    line.put("type", "azureml.inference." + kind);
    line.put("datacontenttype", "application/json");
    line.put("time", DateTimeFormatter.ISO_INSTANT.format(time));
    line.set("data", DataFrameRows.of(data));
    line.put("correlationid", ids.operationId());
    line.put("xrequestid", ids.requestId());
    line.put("clientrequestid", ids.clientRequestId() == null ? "" : ids.clientRequestId());
    line.put("modelname", origin.modelName());
    line.put("modelversion", origin.modelVersion());
    origin.version().ifPresent(version -> line.put("deployment", version));
    line.put("service", origin.service());
    line.put("namespace", origin.namespace());
    line.put("pod", origin.pod());
    line.put("agent", "mlws-scorer");
    // Compact JSON escapes every control character: a line never holds a tab or a newline.
    return blobName(origin, kind, time) + "\t" + line;
  }

  List<String> entries() {
    return List.of(inputsEntry, outputsEntry);
  }

  /** Bytes on the spool, newlines included. */
  long size() {
    return inputsEntry.length() + outputsEntry.length() + 2L;
  }
}
