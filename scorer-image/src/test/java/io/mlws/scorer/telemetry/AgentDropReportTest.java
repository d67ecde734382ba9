package io.mlws.scorer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlws.scorer.telemetry.AgentDropReport.Kind;
import org.junit.jupiter.api.Test;

/** The agent's log lines as its aggregating logger writes them (agent 3.5.3). */
class AgentDropReportTest {
  static final String QUEUE_FULL =
      "Max general export queue capacity of 2048 has been hit, dropping a telemetry record (max"
          + " general export queue capacity can be increased in the applicationinsights.json"
          + " configuration file, e.g. { \"preview\": { \"generalExportQueueCapacity\": 4096 } }";

  @Test
  void theFirstOverflowIsOneItem() {
    String line =
        "2026-12-07 15:02:35.023Z WARN  c.m.a.a.i.t.BatchItemProcessor - Exporting telemetry: "
            + QUEUE_FULL
            + " (future warnings will be aggregated and logged once every 5 minutes)";
    assertThat(AgentDropReport.of(line)).contains(new AgentDropReport(Kind.EXPORT_QUEUE_FULL, 1));
  }

  @Test
  void anAggregatedLineCountsWhatItSays() {
    assertThat(AgentDropReport.of(" * " + QUEUE_FULL + " (1234 times)"))
        .contains(new AgentDropReport(Kind.EXPORT_QUEUE_FULL, 1234));
  }

  @Test
  void theAggregateHeaderIsNotCountedTwice() {
    assertThat(
            AgentDropReport.of(
                "2026-12-07 15:07:35.023Z WARN  c.m.a.a.i.t.BatchItemProcessor - In the last 5"
                    + " minutes, the following warning has occurred 1234 times: Exporting"
                    + " telemetry:"))
        .isEmpty();
  }

  @Test
  void aRefusalKeptForRetryIsNoDropButOneThatIsNotIs() {
    assertThat(
            AgentDropReport.of(
                " * Received response code 503 (telemetry will be stored to disk and retried)"
                    + " (7 times)"))
        .isEmpty();
    assertThat(
            AgentDropReport.of(
                "WARN c.a.m.o.e.i.l.DiagnosticTelemetryPipelineListener - Sending telemetry to the"
                    + " ingestion service: Received response code 400 (Invalid instrumentation"
                    + " key) (future warnings will be aggregated and logged once every 5 minutes)"))
        .contains(new AgentDropReport(Kind.REFUSED, 1));
  }

  @Test
  void aFullDiskBufferCountsBatches() {
    assertThat(
            AgentDropReport.of(
                " * Writing telemetry to disk (telemetry is discarded on failure): Local"
                    + " persistent storage capacity has been reached. It's currently at (51200"
                    + " KB). Telemetry will be lost. (3 times)"))
        .contains(new AgentDropReport(Kind.DISK_BUFFER_FULL, 3));
  }

  @Test
  void otherLinesReportNothing() {
    assertThat(AgentDropReport.of("mlws scorer: model iris:1 is ready")).isEmpty();
    assertThat(AgentDropReport.of(" * something else (12 times)")).isEmpty();
    assertThat(AgentDropReport.of("a caller printed: has been hit, dropping a telemetry record"))
        .as("a marker without either of the aggregating logger's forms")
        .isEmpty();
  }
}
