package io.mlws.scorer.telemetry;

import io.mlws.scorer.metrics.ScorerMetrics;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the telemetry the agent says it dropped (its log lines pass through here on their way to
 * the console) in mlws_telemetry_dropped_items_total and mlws_telemetry_dropped_batches_total, by
 * reason, and says once per reason in the scorer's log that drops began. The agent counts
 * occurrences after the first over five minutes, so the metric can trail it by that much.
 */
public final class AgentDrops implements Consumer<String> {
  private static final Logger LOG = LoggerFactory.getLogger(AgentDrops.class);

  private final Set<AgentDropReport.Kind> said = EnumSet.noneOf(AgentDropReport.Kind.class);

  @Override
  public void accept(String line) {
    AgentDropReport.of(line).ifPresent(this::count);
  }

  private synchronized void count(AgentDropReport report) {
    AgentDropReport.Kind kind = report.kind();
    ScorerMetrics.telemetryDropped(kind.unit.label, kind.label, report.count());
    if (said.add(kind)) {
      LOG.warn(
          "telemetry: the Application Insights agent is dropping {} ({}); counted in {}, where"
              + " the agent's later count arrives every five minutes",
          kind.unit.label,
          kind.label,
          ScorerMetrics.telemetryDroppedName(kind.unit.label) + "{reason=\"" + kind.label + "\"}");
    }
  }
}
