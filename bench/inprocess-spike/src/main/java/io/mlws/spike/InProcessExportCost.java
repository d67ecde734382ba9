package io.mlws.spike;

import com.azure.monitor.opentelemetry.autoconfigure.AzureMonitorAutoConfigure;
import com.azure.monitor.opentelemetry.autoconfigure.AzureMonitorAutoConfigureOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.UUID;

/**
 * What the in-process Azure Monitor exporter (azure-monitor-opentelemetry-autoconfigure) costs per
 * scored request, telemetry alone: one SERVER span shaped like the scorer's request (mapped to a
 * RequestData) and one model_data_collection log record with the 8 dimensions in its context (a
 * MessageData in the request's operation), exported to a capture endpoint on 127.0.0.1. The
 * process's CPU time over a paced run, divided by the requests, after a warm-up.
 *
 * <p>java -cp ... io.mlws.spike.InProcessExportCost CONNECTION_STRING [requests per second] [s]
 *
 * <p>With "agent" instead of a connection string (and -javaagent, APPLICATIONINSIGHTS_CONNECTION_STRING)
 * the same telemetry goes through the Application Insights agent, which bridges the OpenTelemetry
 * API: the two exporters side by side on the same synthetic requests. With "none", the loop alone.
 */
public final class InProcessExportCost {
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
  private static final AttributeKey<String> HOST = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

  private InProcessExportCost() {}

  public static void main(String[] args) throws Exception {
    String connectionString = args[0];
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 15_000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    if (connectionString.equals("none")) {
      // The loop alone (span and record built, nothing recorded): subtracted from the others.
      measure(io.opentelemetry.api.OpenTelemetry.noop(), "no telemetry (the loop alone)", rate, seconds);
      return;
    }
    if (connectionString.equals("agent")) {
      measure(io.opentelemetry.api.GlobalOpenTelemetry.get(), "agent", rate, seconds);
      return;
    }
    AutoConfiguredOpenTelemetrySdkBuilder builder =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.of(
                        "otel.service.name", "iris",
                        "otel.resource.attributes", "service.instance.id=spike-pod",
                        "otel.traces.sampler", "always_on"));
    AzureMonitorAutoConfigure.customize(
        builder, new AzureMonitorAutoConfigureOptions().connectionString(connectionString));
    OpenTelemetrySdk sdk = builder.build().getOpenTelemetrySdk();
    measure(sdk, "in-process exporter", rate, seconds);
    sdk.shutdown().join(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static void measure(
      io.opentelemetry.api.OpenTelemetry telemetry, String label, int rate, int seconds)
      throws Exception {
    Tracer tracer = telemetry.getTracer("mlws-scorer");
    Logger logger = telemetry.getLogsBridge().get("mlws.data_collection");
    run(tracer, logger, rate, 5); // warm-up
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long requests = run(tracer, logger, rate, seconds);
    long cpu = os.getProcessCpuTime() - cpuBefore;
    System.out.printf(
        "%s: %d requests at %d/s, %.1f µs of process CPU per request%n",
        label, requests, rate, cpu / 1e3 / requests);
  }

  /** One request's telemetry per tick, paced to the rate; returns how many were sent. */
  private static long run(Tracer tracer, Logger logger, int rate, int seconds) throws Exception {
    long count = 0;
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long interval = 1_000_000_000L / rate;
    for (long next = start; next < end; next += interval) {
      request(tracer, logger);
      count++;
      long wait = next + interval - System.nanoTime();
      if (wait > 200_000) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    return count;
  }

  private static void request(Tracer tracer, Logger logger) {
    Span span =
        tracer
            .spanBuilder("POST /score")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(METHOD, "POST")
            .setAttribute(ROUTE, "/score")
            .setAttribute(PATH, "/score")
            .setAttribute(SCHEME, "http")
            .setAttribute(HOST, "127.0.0.1")
            .setAttribute(PORT, 8080L)
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      AttributesBuilder dimensions = Attributes.builder();
      dimensions.put("Request Id", UUID.randomUUID().toString());
      dimensions.put("Client Request Id", "");
      dimensions.put("Container Id", "spike-pod");
      dimensions.put("Service Name", "iris");
      dimensions.put("Workspace Name", "bench");
      dimensions.put("Models", "iris:1");
      dimensions.put("Input", "{\"data\":[[5.1,3.5,1.4,0.2]]}");
      dimensions.put(
          "Prediction",
          "{\"predictions\":[\"setosa\"],\"probabilities\":[{\"virginica\":9.09591E-12,"
              + "\"setosa\":0.99984217,\"versicolor\":1.578132E-4}]}");
      logger
          .logRecordBuilder()
          .setSeverity(Severity.INFO)
          .setBody("model_data_collection")
          .setAllAttributes(dimensions.build())
          .emit();
      span.setAttribute(STATUS, 200L);
    } finally {
      span.end();
    }
  }
}
