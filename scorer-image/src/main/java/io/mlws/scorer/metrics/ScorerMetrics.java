package io.mlws.scorer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The scorer's Prometheus metrics, the one place their names and buckets are defined: requests by
 * route, method and status with a latency histogram, the model's own time, and what data collection
 * kept, dropped and redacted. Recorded on Micrometer's global registry (nothing is kept until a
 * registry is attached), served as /metrics on the probe port.
 */
public final class ScorerMetrics {
  /** The request attribute the scorer's handler names its route template in. */
  public static final String ROUTE = "mlws.route";

  /** The request attribute naming the model version a call was sent to, on the pod that sent it. */
  public static final String ROUTED_TO = "mlws.routed.to";

  /** The model version this pod serves: the version label of what it answers. */
  private static volatile String version = "default";

  public static void version(String served) {
    version = served;
  }

  static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  private ScorerMetrics() {}

  /** A Prometheus registry attached to the global one, with the JVM's own metrics bound. */
  public static PrometheusMeterRegistry prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Metrics.addRegistry(registry);
    return registry;
  }

  static void request(String route, String method, int status, long nanos) {
    Timer.builder("mlws.requests")
        .description(
            "HTTP requests this pod answered on the scoring port, by model version, route"
                + " template, method and status")
        .tags(
            "version",
            version,
            "route",
            route,
            "method",
            MethodLabel.of(method),
            "code",
            String.valueOf(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry())
        .record(Duration.ofNanos(nanos));
  }

  /**
   * A copy of a call sent to a version taking shadow traffic: by the version and its outcome
   * (agree, disagree, failed, live_failed, unreachable, skipped).
   */
  public static void mirrored(String toVersion, String outcome) {
    Counter.builder("mlws.mirrored.requests")
        .description(
            "Copies of calls this pod sent to a version taking shadow traffic, by version and"
                + " outcome")
        .tags("version", toVersion, "outcome", outcome)
        .register(registry())
        .increment();
  }

  /** A call drawn for another version whose Service refused it: this pod answered it. */
  public static void routedHere(String toVersion) {
    routed(toVersion, "served_here");
  }

  /**
   * A call this pod sent to another model version's pods, which answered it (and counted it as
   * theirs): by the version, and the status it got, or "unreachable".
   */
  static void routed(String toVersion, String outcome) {
    Counter.builder("mlws.routed.requests")
        .description(
            "Calls this pod sent on to another model version's pods, by version and status")
        .tags("version", toVersion, "outcome", outcome)
        .register(registry())
        .increment();
  }

  /**
   * Requests in flight on the scoring port (waiting for a slot or being scored): what an autoscaler
   * that scales on load reads.
   */
  public static void inFlightGauge(java.util.function.Supplier<Number> requests) {
    IN_FLIGHT.set(requests);
    io.micrometer.core.instrument.Gauge.builder(
            "mlws.requests.in.flight", IN_FLIGHT, now -> now.get().get().doubleValue())
        .description("Scoring requests waiting for a slot or being scored")
        .strongReference(true)
        .register(registry());
  }

  /** The scoring port whose requests the gauge counts: the last one started in this JVM. */
  private static final java.util.concurrent.atomic.AtomicReference<
          java.util.function.Supplier<Number>>
      IN_FLIGHT = new java.util.concurrent.atomic.AtomicReference<>(() -> 0);

  /** Time in ONNX Runtime for one request's batch. */
  public static void modelTime(String model, long nanos) {
    Timer.builder("mlws.model.inference")
        .description("Time ONNX Runtime takes to score one request's rows")
        .tags("model", model)
        .serviceLevelObjectives(BUCKETS)
        .register(registry())
        .record(Duration.ofNanos(nanos));
  }

  /** A scored request's data collection: kept, sampled_out, or failed (not sent). */
  public static void dataCollection(String outcome) {
    Counter.builder("mlws.data.collection.records")
        .description("model_data_collection records by outcome: kept, sampled_out, failed")
        .tag("outcome", outcome)
        .register(registry())
        .increment();
  }

  /** Input fields replaced by [REDACTED] before a record left the pod. */
  public static void redactedFields(int count) {
    if (count > 0) {
      Counter.builder("mlws.data.collection.redacted.fields")
          .description("input fields replaced by [REDACTED] in model_data_collection records")
          .register(registry())
          .increment(count);
    }
  }

  /** Requests' records for Blob Storage: written, or dropped (the pod's buffer full). */
  public static void collectStorage(String outcome) {
    collectStorage(outcome, 1);
  }

  public static void collectStorage(String outcome, long records) {
    if (records > 0) {
      Counter.builder("mlws.data.collection.storage.records")
          .description(
              "scored requests' records for Blob Storage by outcome: written, dropped (the pod's"
                  + " buffer full, or the scorer stopping)")
          .tag("outcome", outcome)
          .register(registry())
          .increment(records);
    }
  }

  /** Bytes of records on the pod's volume, waiting to be written to Blob Storage. */
  public static void collectBufferGauge(java.util.function.Supplier<Number> bytes) {
    io.micrometer.core.instrument.Gauge.builder("mlws.data.collection.storage.buffer", bytes)
        .description("bytes of collected records on the pod's volume not yet in Blob Storage")
        .baseUnit("bytes")
        .register(registry());
  }

  /**
   * Telemetry the Application Insights agent said it dropped, in {@code unit} ("items" or
   * "batches"), by reason.
   */
  public static void telemetryDropped(String unit, String reason, long count) {
    Counter.builder("mlws.telemetry.dropped." + unit)
        .description(
            "telemetry "
                + unit
                + " the Application Insights agent dropped, by reason (from the agent's log)")
        .tag("reason", reason)
        .register(registry())
        .increment(count);
  }

  /** The Prometheus name of {@link #telemetryDropped}'s counter for {@code unit}. */
  public static String telemetryDroppedName(String unit) {
    return "mlws_telemetry_dropped_" + unit + "_total";
  }

  private static MeterRegistry registry() {
    return Metrics.globalRegistry;
  }
}
