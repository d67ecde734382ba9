package io.mlws.operator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The fabric8 CRUD mock, corrected where it differs from kube-apiserver in ways that matter to an
 * operator: server-side apply (with managedFields), JSON merge patch, status subresource writes
 * that carry query parameters, discovery and printer-column tables for kubectl. It also records
 * every write request, so tests can count what the operator sends.
 */
final class HonestDispatcher extends KubernetesCrudDispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonNode crd;
  private final List<String> writes = new CopyOnWriteArrayList<>();
  private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
  private final ApiFaults faults = new ApiFaults();

  HonestDispatcher(JsonNode crd) {
    this.crd = crd;
  }

  List<String> writes() {
    return writes;
  }

  List<ApiRequest> requests() {
    return requests;
  }

  ApiFaults faults() {
    return faults;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String plainPath = request.getPath().split("\\?", 2)[0];
    requests.add(
        ApiRequest.of(request.getMethod(), request.getPath(), request.getHeader("User-Agent")));
    boolean fromOperator =
        String.valueOf(request.getHeader("User-Agent")).startsWith("mlws-operator");
    boolean watch = request.getPath().contains("watch=true");
    if (fromOperator && !watch) {
      faults.delay();
    }
    if (request.method() == HttpMethod.GET) {
      return withStatusBody(read(request, plainPath));
    }
    writes.add(request.getMethod() + " " + request.getPath());
    if (fromOperator && faults.failThisWrite()) {
      int status = faults.failureStatus();
      return status(status, status == 409 ? "Conflict" : "InternalError", "injected fault");
    }
    return withStatusBody(write(request, plainPath));
  }

  private MockResponse read(RecordedRequest request, String plainPath) {
    var discovery = Discovery.document(plainPath);
    if (discovery.isPresent()) {
      return json(200, discovery.get());
    }
    MockResponse response = super.dispatch(request);
    String accept = String.valueOf(request.getHeader("Accept"));
    if (accept.contains("as=Table")
        && plainPath.contains("/mlwebservices")
        && response.code() == 200) {
      JsonNode body = parse(response.getBody().readUtf8());
      JsonNode list =
          body.has("items")
              ? body
              : JSON.createObjectNode().set("items", JSON.createArrayNode().add(body));
      return json(200, PrinterColumnTable.render(crd, list, Instant.now()));
    }
    return response;
  }

  private MockResponse write(RecordedRequest request, String plainPath) {
    String contentType = String.valueOf(request.getHeader("Content-Type"));
    String body = request.getBody().readUtf8();
    if (plainPath.equals("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
      return rulesReview(parse(body));
    }
    if (request.method() == HttpMethod.PATCH && contentType.startsWith("application/apply-patch")) {
      return retryingConflicts(() -> serverSideApply(request, plainPath, body));
    }
    if (request.method() == HttpMethod.PATCH
        && (contentType.startsWith("application/merge-patch+json")
            || contentType.startsWith("application/strategic-merge-patch+json"))) {
      return retryingConflicts(() -> mergePatch(request, plainPath, body));
    }
    return super.dispatch(copy(request, request.method(), plainPath, body));
  }

  /**
   * Read-modify-write without a lock: the write carries the resourceVersion that was read, and a
   * conflict with a concurrent writer is retried, as kube-apiserver's own update loop does.
   */
  private static MockResponse retryingConflicts(Supplier<MockResponse> attempt) {
    MockResponse response = attempt.get();
    for (int i = 0; i < 20 && response.code() == 409; i++) {
      response = attempt.get();
    }
    return response;
  }

  private MockResponse serverSideApply(RecordedRequest request, String plainPath, String body) {
    String manager = queryParameter(request.getPath(), "fieldManager");
    if (manager == null) {
      return status(400, "BadRequest", "fieldManager is required for apply requests");
    }
    boolean statusOnly = plainPath.endsWith("/status");
    String objectPath = statusOnly ? plainPath.substring(0, plainPath.length() - 7) : plainPath;
    ObjectNode live = find(objectPath);
    if (live == null && statusOnly) {
      return status(404, "NotFound", objectPath + " not found");
    }
    ObjectNode applied = (ObjectNode) parseYaml(body);
    String expectedVersion = applied.at("/metadata/resourceVersion").asText("");
    if (live != null
        && !expectedVersion.isEmpty()
        && !expectedVersion.equals(live.at("/metadata/resourceVersion").asText())) {
      return status(
          409,
          "Conflict",
          "the object has been modified; resourceVersion " + expectedVersion + " is stale");
    }
    ObjectNode result = ServerSideApply.apply(live, applied, manager, statusOnly);
    if (live == null) {
      String collection = objectPath.substring(0, objectPath.lastIndexOf('/'));
      return super.dispatch(copy(request, HttpMethod.POST, collection, result.toString()));
    }
    return update(request, plainPath, live, result);
  }

  private MockResponse mergePatch(RecordedRequest request, String plainPath, String body) {
    boolean statusOnly = plainPath.endsWith("/status");
    String objectPath = statusOnly ? plainPath.substring(0, plainPath.length() - 7) : plainPath;
    ObjectNode live = find(objectPath);
    if (live == null) {
      return status(404, "NotFound", objectPath + " not found");
    }
    JsonNode patch = parse(body);
    ObjectNode result = (ObjectNode) JsonMergePatch.apply(live, patch);
    if (!patch.at("/metadata/resourceVersion").isMissingNode()
        && !patch.at("/metadata/resourceVersion").equals(live.at("/metadata/resourceVersion"))) {
      return status(
          409,
          "Conflict",
          "the object has been modified; please apply your changes to the latest version");
    }
    return update(request, plainPath, live, result);
  }

  /**
   * JOSDK checks its Lease permissions with a SelfSubjectRulesReview before leader election; the
   * test user, like a cluster admin, may do everything.
   */
  private static MockResponse rulesReview(JsonNode review) {
    ObjectNode answer = ((ObjectNode) review).deepCopy();
    ObjectNode status = answer.putObject("status");
    ObjectNode rule = status.putArray("resourceRules").addObject();
    rule.putArray("verbs").add("*");
    rule.putArray("apiGroups").add("*");
    rule.putArray("resources").add("*");
    status.putArray("nonResourceRules");
    status.put("incomplete", false);
    return json(201, answer.toString());
  }

  /** A write that changes nothing is not a write: no new resourceVersion, no watch event. */
  private MockResponse update(
      RecordedRequest request, String path, ObjectNode live, ObjectNode result) {
    ((ObjectNode) result.get("metadata"))
        .set("resourceVersion", live.at("/metadata/resourceVersion"));
    if (result.equals(live)) {
      return json(200, live.toString());
    }
    return super.dispatch(copy(request, HttpMethod.PUT, path, result.toString()));
  }

  private ObjectNode find(String objectPath) {
    AttributeSet key = getKey(objectPath);
    Map.Entry<AttributeSet, String> entry = findResource(key);
    return entry == null ? null : (ObjectNode) parse(entry.getValue());
  }

  private static RecordedRequest copy(
      RecordedRequest original, HttpMethod method, String path, String body) {
    Headers headers =
        method == HttpMethod.PATCH
            ? original.getHeaders()
            : original.getHeaders().newBuilder().set("Content-Type", "application/json").build();
    return new RecordedRequest(
        original.getHttpVersion(),
        method,
        path,
        headers,
        new Buffer().writeUtf8(body == null ? "" : body));
  }

  private static MockResponse withStatusBody(MockResponse response) {
    if (response != null
        && response.code() == 404
        && (response.getBody() == null || response.getBody().size() == 0)) {
      return status(404, "NotFound", "the server could not find the requested resource");
    }
    return response;
  }

  private static MockResponse status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure");
    status.put("message", message).put("reason", reason).put("code", code);
    status.putObject("metadata");
    return json(code, status.toString());
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  private static String queryParameter(String path, String name) {
    int query = path.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : path.substring(query + 1).split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals(name) && kv.length == 2) {
        return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parseYaml(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
