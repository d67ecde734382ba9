package io.mlws.scorer.telemetry;

import com.microsoft.applicationinsights.TelemetryClient;
import com.microsoft.applicationinsights.telemetry.SeverityLevel;
import com.microsoft.applicationinsights.telemetry.TraceTelemetry;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * How a model_data_collection trace reaches the Application Insights agent. Both give the same
 * envelope (message, the 8 dimensions as custom dimensions, the request's operation); they differ
 * in cost and in sampling, so the scorer picks one at start from the request sampling percentage.
 */
public sealed interface TraceBridge {
  void send(String message, Map<String, String> dimensions);

  /**
   * The classic SDK's TelemetryClient, which the agent turns straight into an envelope: about 10 µs
   * of CPU per trace less than a log record (bench/README.md). It shares the request's sampling
   * decision, so it is chosen only when requests are sampled at 100 % and can never drop it.
   */
  final class ClassicSdk implements TraceBridge {
    private final TelemetryClient client = new TelemetryClient();

    @Override
    public void send(String message, Map<String, String> dimensions) {
      TraceTelemetry trace = new TraceTelemetry(message, SeverityLevel.Information);
      trace.getProperties().putAll(dimensions);
      client.trackTrace(trace);
    }
  }

  /**
   * A logback record with the dimensions in MDC, which the agent's logging instrumentation turns
   * into a trace. The applicationinsights.json shipped beside the agent keeps every record with a
   * "Models" dimension, so data collection keeps its share whatever the request sampling.
   */
  final class LogRecord implements TraceBridge {
    private static final Logger TRACES = LoggerFactory.getLogger("mlws.data_collection");

    @Override
    public void send(String message, Map<String, String> dimensions) {
      try {
        dimensions.forEach(MDC::put);
        TRACES.info(message);
      } finally {
        dimensions.keySet().forEach(MDC::remove);
      }
    }
  }

  /** The cheaper bridge when request sampling keeps every request; otherwise the log record. */
  static TraceBridge forRequestSampling(double percentage) {
    return percentage >= 100 ? new ClassicSdk() : new LogRecord();
  }
}
