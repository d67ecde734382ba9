package io.mlws.scorer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlws.scorer.ModelHolder;
import io.mlws.scorer.collect.DataCollector;
import io.mlws.scorer.metrics.ScorerMetrics;
import io.mlws.scorer.model.OnnxModel;
import io.mlws.scorer.model.ScoringTimedOut;
import io.mlws.scorer.model.Tensor;
import io.mlws.scorer.protocol.ApiError;
import io.mlws.scorer.protocol.AzureMlScoring;
import io.mlws.scorer.protocol.BinaryTensorData;
import io.mlws.scorer.protocol.OpenInferenceV2;
import io.mlws.scorer.protocol.SwaggerDocument;
import io.mlws.scorer.settings.RuntimeSettings;
import io.mlws.scorer.telemetry.RequestNaming;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every endpoint of the scorer: the Azure ML contract, the Open Inference Protocol V2, probes and
 * the swagger document. Each request gets an x-ms-request-id, a route-level telemetry name, and a
 * JSON answer; bad input is a 4xx that says what is wrong, never a 5xx.
 */
public final class ScorerHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ScorerHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("^[\\x21-\\x7e]{1,128}$");

  private final ModelHolder model;
  private final Supplier<RuntimeSettings> settings;
  private final DataCollector collector;
  private final int maxRequestBytes;
  private final int maxRows;
  private final Duration scoringTimeout;

  public ScorerHandler(
      ModelHolder model,
      Supplier<RuntimeSettings> settings,
      DataCollector collector,
      int maxRequestBytes,
      int maxRows,
      Duration scoringTimeout) {
    this.model = model;
    this.settings = settings;
    this.collector = collector;
    this.maxRequestBytes = maxRequestBytes;
    this.maxRows = maxRows;
    this.scoringTimeout = scoringTimeout;
  }

  /** What a route answers: a status and a JSON body. */
  /** An answer: JSON, or with {@code binary} a body in the binary tensor data extension. */
  record Reply(int status, JsonNode body, BinaryTensorData.Body binary) {
    Reply(int status, JsonNode body) {
      this(status, body, null);
    }

    static Reply ok(JsonNode body) {
      return new Reply(200, body);
    }

    static Reply binary(BinaryTensorData.Body binary) {
      return new Reply(200, null, binary);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String requestId = UUID.randomUUID().toString();
    String clientRequestId = request.getHeaders().get("x-ms-client-request-id");
    response.getHeaders().put("x-ms-request-id", requestId);
    RequestNaming.requestId(requestId);
    if (settings.get().routes().active()) {
      RequestNaming.version(settings.get().routes().own());
    }
    if (clientRequestId != null && CLIENT_REQUEST_ID.matcher(clientRequestId).matches()) {
      response.getHeaders().put("x-ms-client-request-id", clientRequestId);
    } else {
      clientRequestId = null;
    }
    String method = request.getMethod();
    String path = Request.getPathInContext(request);
    Reply reply;
    try {
      reply =
          route(request, method, path, new DataCollector.RequestIds(requestId, clientRequestId));
    } catch (ApiError e) {
      reply = error(e.status(), e.code(), e.getMessage(), requestId);
      if (e.allow() != null) {
        response.getHeaders().put(HttpHeader.ALLOW, e.allow());
      }
    } catch (Exception e) {
      LOG.error("request {} to {} failed", requestId, path, e);
      reply =
          error(
              500,
              "InternalError",
              "the model could not score this request; quote request id " + requestId,
              requestId);
    }
    response.setStatus(reply.status());
    byte[] body;
    if (reply.binary() != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
      response
          .getHeaders()
          .put(BinaryTensorData.HEADER_LENGTH, String.valueOf(reply.binary().headerLength()));
      body = reply.binary().bytes();
    } else {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
      body = reply.body().toString().getBytes(StandardCharsets.UTF_8);
    }
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  private Reply route(Request request, String method, String path, DataCollector.RequestIds ids)
      throws Exception {
    switch (path) {
      case "/healthz" -> {
        name(request, method, path, "GET");
        return Reply.ok(JSON.createObjectNode().put("status", "alive"));
      }
      case "/ready" -> {
        name(request, method, path, "GET");
        return model.ready()
            ? Reply.ok(JSON.createObjectNode().put("status", "ready"))
            : notReady();
      }
      case "/swagger.json" -> {
        name(request, method, path, "GET");
        RuntimeSettings now = settings.get();
        return Reply.ok(SwaggerDocument.of(model.require(), now.modelName(), now.modelVersion()));
      }
      case "/score" -> {
        name(request, method, path, "POST");
        return score(request, ids);
      }
      case "/v2" -> {
        name(request, method, path, "GET");
        return Reply.ok(OpenInferenceV2.serverMetadata());
      }
      case "/v2/health/live" -> {
        name(request, method, path, "GET");
        return Reply.ok(JSON.createObjectNode().put("live", true));
      }
      case "/v2/health/ready" -> {
        name(request, method, path, "GET");
        return model.ready() ? Reply.ok(JSON.createObjectNode().put("ready", true)) : notReady();
      }
      default -> {
        return v2Model(request, method, path, ids);
      }
    }
  }

  private Reply v2Model(Request request, String method, String path, DataCollector.RequestIds ids)
      throws Exception {
    Matcher matcher = Routes.V2_MODEL.matcher(path);
    if (!matcher.matches()) {
      RequestNaming.name(Routes.requestName(method, Routes.UNKNOWN));
      request.setAttribute(ScorerMetrics.ROUTE, Routes.UNKNOWN);
      throw new ApiError(
          404,
          "NotFound",
          "no endpoint " + path + "; see /swagger.json, /score and /v2/models/{name}");
    }
    String action = matcher.group(3) == null ? "" : matcher.group(3);
    String template = Routes.v2Template(matcher);
    name(request, method, template, action.equals("/infer") ? "POST" : "GET");
    RuntimeSettings now = settings.get();
    if (!matcher.group(1).equals(now.modelName())
        || (matcher.group(2) != null && !matcher.group(2).equals(now.modelVersion()))) {
      throw new ApiError(
          404,
          "ModelNotFound",
          "this scorer serves model \""
              + now.modelName()
              + "\" version \""
              + now.modelVersion()
              + "\"");
    }
    return switch (action) {
      case "/ready" ->
          model.ready()
              ? Reply.ok(JSON.createObjectNode().put("name", now.modelName()).put("ready", true))
              : notReady();
      case "/infer" -> infer(request, ids, now);
      default ->
          Reply.ok(
              OpenInferenceV2.modelMetadata(model.require(), now.modelName(), now.modelVersion()));
    };
  }

  private Reply score(Request request, DataCollector.RequestIds ids) throws Exception {
    JsonNode body = jsonBody(request);
    OnnxModel onnx = model.require();
    Map<String, Tensor> inputs = AzureMlScoring.inputs(body, onnx.signature(), maxRows);
    ObjectNode answer = AzureMlScoring.response(timed(onnx, inputs).prediction());
    collector.collect(ids, body, answer);
    return Reply.ok(answer);
  }

  /**
   * A V2 call: JSON whatever its Content-Type says (the protocol's body is JSON; tritonclient sends
   * none), or in the binary tensor data extension; its answer in the extension when the call asked
   * for binary outputs.
   */
  private Reply infer(Request request, DataCollector.RequestIds ids, RuntimeSettings now)
      throws Exception {
    String headerLength = request.getHeaders().get(BinaryTensorData.HEADER_LENGTH);
    JsonNode body =
        headerLength != null
            ? BinaryTensorData.request(bytes(request), headerLength)
            : json(bytes(request));
    OnnxModel onnx = model.require();
    Map<String, Tensor> inputs = OpenInferenceV2.inputs(body, onnx.signature(), maxRows);
    ObjectNode answer =
        OpenInferenceV2.response(
            timed(onnx, inputs), onnx, now.modelName(), now.modelVersion(), body);
    collector.collect(ids, body, answer);
    return BinaryTensorData.response(answer.deepCopy(), body)
        .map(Reply::binary)
        .orElseGet(() -> Reply.ok(answer));
  }

  /** Names the request for telemetry by its route, and refuses methods the route does not take. */
  private void name(Request request, String method, String route, String allowed) throws ApiError {
    RequestNaming.name(Routes.requestName(method, route));
    request.setAttribute(ScorerMetrics.ROUTE, route);
    if (!method.equals(allowed)) {
      throw ApiError.methodNotAllowed(route, allowed);
    }
  }

  private JsonNode jsonBody(Request request) throws ApiError, IOException {
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      throw new ApiError(
          415,
          "UnsupportedMediaType",
          "send the body as application/json, not "
              + (contentType == null ? "no Content-Type" : contentType));
    }
    return json(bytes(request));
  }

  /** The body, read whole within the size limit. */
  private byte[] bytes(Request request) throws ApiError {
    long declared = request.getLength();
    if (declared > maxRequestBytes) {
      throw new ApiError(
          413,
          "PayloadTooLarge",
          "the body has " + declared + " bytes; at most " + maxRequestBytes + " are accepted");
    }
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes(maxRequestBytes + 1);
    } catch (IOException e) {
      throw new ApiError(
          408, "RequestTimeout", "the request body could not be read: " + e.getMessage());
    }
    if (bytes.length > maxRequestBytes) {
      throw new ApiError(
          413, "PayloadTooLarge", "the body is larger than " + maxRequestBytes + " bytes");
    }
    return bytes;
  }

  /** The body as JSON. */
  private static JsonNode json(byte[] bytes) throws ApiError {
    if (bytes.length == 0) {
      throw ApiError.badRequest("the body is empty; send JSON");
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.badRequest("the body is not valid JSON: " + e.getMessage());
    }
  }

  private OnnxModel.Answer timed(OnnxModel onnx, Map<String, Tensor> inputs) throws Exception {
    long start = System.nanoTime();
    OnnxModel.Answer answer;
    try {
      answer = onnx.predict(inputs, scoringTimeout);
    } catch (ScoringTimedOut e) {
      throw new ApiError(
          504,
          "ScoringTimeout",
          e.getMessage()
              + " (MLWS_SCORING_TIMEOUT_MILLIS, spec.scoring.timeoutMilliseconds); the run was"
              + " stopped");
    } finally {
      ScorerMetrics.modelTime(settings.get().modelName(), System.nanoTime() - start);
    }
    return answer;
  }

  private static Reply notReady() {
    ObjectNode body = JSON.createObjectNode();
    body.put("status", "loading");
    body.put("error", "the model is not loaded yet");
    return new Reply(503, body);
  }

  private static Reply error(int status, String code, String message, String requestId) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", message);
    body.put("code", code);
    body.put("requestId", requestId);
    return new Reply(status, body);
  }
}
