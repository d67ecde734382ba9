package io.mlws.scorer.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlws.scorer.http.BodyFirst;
import io.mlws.scorer.http.Routes;
import io.mlws.scorer.metrics.ScorerMetrics;
import io.mlws.scorer.telemetry.RequestNaming;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Shares the calls among the model versions behind the service: each scoring call a pod takes goes
 * to a version drawn by the versions' weights, answered here when it is this pod's, else sent on to
 * that version's Service, whose answer is returned as it is. Because every pod draws by the
 * weights, whatever pod the Service picked, the weights hold at any replica count. A call with the
 * header azureml-model-deployment goes to the version it names. A call sent on carries the version
 * it was drawn for and is answered by the pod it reaches, never sent on again; it does not take a
 * scoring slot here, and a version whose Service refuses the connection has its share answered here
 * (counted as routed, outcome "served_here").
 */
public final class VersionRouter extends Handler.Wrapper {
  /** The header that pins a call to a version, and says in an answer which version gave it. */
  public static final String VERSION_HEADER = "azureml-model-deployment";

  /** The header a pod sends a call on with: the version it was drawn for. */
  public static final String ROUTED_HEADER = "mlws-routed";

  /** The header of a mirrored call: the version that answered the caller. */
  static final String MIRROR_OF_HEADER = "mlws-mirror-of";

  /** The header of a mirrored call: the digest of the prediction the caller got. */
  static final String LIVE_PREDICTION_HEADER = "mlws-live-prediction";

  /** Calls sent on at once; beyond, a 503 as when scoring slots are full. */
  static final int SENT_AT_ONCE = 512;

  /** What a pod never sends on: hop-by-hop headers, those the JDK's client sets, trace context. */
  private static final Set<String> NOT_SENT_ON =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "expect",
          "traceparent",
          "tracestate",
          "request-id",
          "request-context",
          VERSION_HEADER,
          ROUTED_HEADER,
          MIRROR_OF_HEADER,
          LIVE_PREDICTION_HEADER);

  /** Headers of the answer returned to the caller as the version's pod gave them. */
  private static final List<String> ANSWER_HEADERS =
      List.of(
          "content-type",
          "x-ms-request-id",
          "x-ms-client-request-id",
          "www-authenticate",
          "retry-after",
          "allow");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<VersionRoutes> routes;
  private final HttpClient client;
  private final Duration timeout;

  /** Beyond the sent call's own timeout, how long its answer's body may take to arrive. */
  static final Duration ANSWER_MARGIN = Duration.ofSeconds(5);

  private final Semaphore sending = new Semaphore(SENT_AT_ONCE);
  private final Mirroring mirroring;

  /**
   * @param timeout how long a version's pod may take to answer a call sent on: its scoring timeout
   *     and queue wait, with room to spare
   */
  public VersionRouter(Handler handler, Supplier<VersionRoutes> routes, Duration timeout) {
    super(handler);
    this.routes = routes;
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(
                Executors.newFixedThreadPool(
                    2,
                    r -> {
                      Thread thread = new Thread(r, "mlws-routing");
                      thread.setDaemon(true);
                      return thread;
                    }))
            .build();
    this.mirroring = new Mirroring(client, timeout);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    VersionRoutes now = routes.get();
    if (!now.active()) {
      return super.handle(request, response, callback);
    }
    String pinned = request.getHeaders().get(VERSION_HEADER);
    // spec.model's pods take the callers' connections (the service's own Service selects them):
    // there a call said to be sent on, or a shadow copy, is a caller's claim, not believed. Only a
    // version's pods, which take the calls spec.model's pods send on, answer such a call as sent.
    boolean routedHere =
        !now.own().equals(VersionRoutes.DEFAULT_VERSION)
            && request.getHeaders().contains(ROUTED_HEADER);
    String version;
    boolean drawn = false;
    if (pinned != null) {
      if (now.named(pinned).isEmpty()) {
        return refuse(
            response,
            callback,
            404,
            "VersionNotFound",
            "no model version named '"
                + printable(pinned)
                + "' behind this service; its versions: "
                + String.join(", ", now.routes().stream().map(VersionRoutes.Route::name).toList()));
      }
      version = pinned;
    } else if (routedHere || !scoring(request)) {
      version = now.own();
    } else {
      version = now.pick(ThreadLocalRandom.current().nextInt(100));
      drawn = true;
    }
    List<VersionRoutes.Route> mirrors =
        drawn && request.getAttribute(BodyFirst.INCOMPLETE) == null
            ? mirroring.room(now.mirrorsOf(version, () -> ThreadLocalRandom.current().nextInt(100)))
            : List.of();
    if (version.equals(now.own())) {
      response.getHeaders().put(VERSION_HEADER, now.own());
      if (routedHere && request.getHeaders().contains(MIRROR_OF_HEADER)) {
        return super.handle(request, Mirroring.judged(request, response), callback);
      }
      if (!mirrors.isEmpty()) {
        byte[] body = bodyOf(request);
        Request whole = new WithBody(request, body);
        return super.handle(
            whole,
            new AnswerCapture(
                whole,
                response,
                (status, answer) -> mirroring.copy(whole, body, mirrors, version, status, answer)),
            callback);
      }
      return super.handle(request, response, callback);
    }
    VersionRoutes.Route route = now.named(version).orElseThrow();
    if (routedHere) {
      // Sent here for another version: a Service that selects the wrong pods. Never a loop.
      return refuse(
          response,
          callback,
          502,
          "VersionUnreachable",
          "this pod serves model version '" + now.own() + "', not '" + version + "'");
    }
    if (request.getAttribute(BodyFirst.INCOMPLETE) != null) {
      // Too large, late or broken: this pod's handler says so.
      return super.handle(request, response, callback);
    }
    if (route.url().isEmpty()) {
      if (pinned != null) {
        return refuse(
            response,
            callback,
            503,
            "VersionStarting",
            "model version '" + version + "' has no address yet; retry");
      }
      ScorerMetrics.routedHere(version);
      response.getHeaders().put(VERSION_HEADER, now.own());
      return super.handle(request, response, callback);
    }
    if (!sending.tryAcquire()) {
      return refuse(
          response,
          callback,
          503,
          "ServerBusy",
          "this pod sends on as many calls as it may; retry, or add replicas");
    }
    sendOn(request, response, callback, now, route, pinned != null, mirrors);
    return true;
  }

  /** The scoring calls, which are shared by weight; any other call is answered here. */
  private static boolean scoring(Request request) {
    if (!"POST".equals(request.getMethod())) {
      return false;
    }
    String template = Routes.template(Request.getPathInContext(request));
    return template.equals("/score") || template.endsWith("/infer");
  }

  private void sendOn(
      Request request,
      Response response,
      Callback callback,
      VersionRoutes now,
      VersionRoutes.Route route,
      boolean pinned,
      List<VersionRoutes.Route> mirrors)
      throws Exception {
    String path = Request.getPathInContext(request);
    String template = Routes.template(path);
    RequestNaming.name(Routes.requestName(request.getMethod(), template));
    RequestNaming.routedTo(route.name());
    request.setAttribute(ScorerMetrics.ROUTE, template);
    request.setAttribute(ScorerMetrics.ROUTED_TO, route.name());
    byte[] bytes = bodyOf(request);
    HttpRequest.Builder call = sentOn(request, bytes, route, timeout);
    Context telemetry = Context.current();
    client
        .sendAsync(call.build(), HttpResponse.BodyHandlers.ofByteArray())
        // The client's timeout ends the wait for the answer's headers, not for its body: a
        // version that stops half-way through an answer must not hold the caller for ever.
        .orTimeout(timeout.plus(ANSWER_MARGIN).toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (answer, failure) -> {
              sending.release();
              // Whatever happens here, the caller is answered: an exception thrown in this
              // callback would be kept by the future, where nobody looks.
              try (Scope scope = telemetry.makeCurrent()) {
                if (failure == null) {
                  // The copies first: once the answer is written the request may be recycled.
                  // Sending them waits for nothing, and never fails the caller's call.
                  mirroring.copy(
                      request, bytes, mirrors, route.name(), answer.statusCode(), answer.body());
                  relay(answer, route.name(), response, callback);
                } else if (!pinned && refused(failure)) {
                  // Nothing reached the version: this pod answers, with the body it kept.
                  request.removeAttribute(ScorerMetrics.ROUTED_TO);
                  ScorerMetrics.routedHere(route.name());
                  response.getHeaders().put(VERSION_HEADER, now.own());
                  handleHere(new WithBody(request, bytes), response, callback);
                } else {
                  refuse(
                      response,
                      callback,
                      502,
                      "VersionUnreachable",
                      "model version '" + route.name() + "' did not answer: " + reason(failure));
                }
              } catch (RuntimeException | Error e) {
                callback.failed(e);
              }
            });
  }

  /** The body BodyFirst read whole. */
  private static byte[] bodyOf(Request request) throws java.io.IOException {
    ByteBuffer body = Content.Source.asByteBuffer(request);
    byte[] bytes = new byte[body.remaining()];
    body.get(bytes);
    return bytes;
  }

  /**
   * The call as sent on to {@code route}'s Service: its method, path, query, body and headers (not
   * hop-by-hop ones, nor trace context, which the agent sets), marked as routed.
   */
  static HttpRequest.Builder sentOn(
      Request request, byte[] body, VersionRoutes.Route route, Duration timeout) {
    String query = request.getHttpURI().getQuery();
    URI target =
        route
            .url()
            .get()
            .resolve(Request.getPathInContext(request) + (query == null ? "" : "?" + query));
    HttpRequest.Builder call =
        HttpRequest.newBuilder(target)
            .timeout(timeout)
            .method(
                request.getMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (HttpField field : request.getHeaders()) {
      if (!NOT_SENT_ON.contains(field.getLowerCaseName())) {
        call.header(field.getName(), field.getValue());
      }
    }
    call.header(ROUTED_HEADER, route.name());
    return call;
  }

  private void handleHere(Request request, Response response, Callback callback) {
    try {
      if (!super.handle(request, response, callback)) {
        callback.failed(new IllegalStateException("no handler answered"));
      }
    } catch (Exception e) {
      callback.failed(e);
    }
  }

  private static void relay(
      HttpResponse<byte[]> answer, String version, Response response, Callback callback) {
    response.setStatus(answer.statusCode());
    for (String name : ANSWER_HEADERS) {
      answer.headers().firstValue(name).ifPresent(value -> response.getHeaders().put(name, value));
    }
    response.getHeaders().put(VERSION_HEADER, version);
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }

  /**
   * A connection the version's Service refused or never accepted (no ready pod, or a Service just
   * deleted whose address now leads nowhere): the call never reached it.
   */
  private static boolean refused(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static String reason(Throwable failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  private static boolean refuse(
      Response response, Callback callback, int status, String code, String message) {
    ObjectNode error = JSON.createObjectNode();
    error.put("error", message);
    error.put("code", code);
    response.setStatus(status);
    if (status == 503) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.write(
        true, ByteBuffer.wrap(error.toString().getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  /** A header value as it may be quoted in an answer: printable ASCII, at most 64 characters. */
  private static String printable(String value) {
    String kept = value.replaceAll("[^\\x20-\\x7e]", "?");
    return kept.length() > 64 ? kept.substring(0, 64) + "..." : kept;
  }

  /** The request again, with the body this router read from it. */
  private static final class WithBody extends Request.Wrapper {
    private ByteBuffer body;

    WithBody(Request request, byte[] body) {
      super(request);
      this.body = ByteBuffer.wrap(body);
    }

    @Override
    public Content.Chunk read() {
      ByteBuffer all = body;
      body = null;
      return all == null ? Content.Chunk.EOF : Content.Chunk.from(all, true);
    }

    @Override
    public void demand(Runnable demandCallback) {
      demandCallback.run();
    }
  }
}
