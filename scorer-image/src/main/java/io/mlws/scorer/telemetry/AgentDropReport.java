package io.mlws.scorer.telemetry;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one line of the Application Insights agent's log says it dropped. The agent reports drops
 * nowhere but its log, through one aggregating logger per kind of failure: the first occurrence is
 * a line of its own that ends "(future warnings will be aggregated and logged once every 5
 * minutes)"; later ones are counted and logged every five minutes as lines " * the message (N
 * times)". Either form is read here; a line about anything else reports nothing.
 *
 * @param kind what was dropped and why
 * @param count how many: telemetry items for a full export queue, batches for the others
 */
public record AgentDropReport(Kind kind, long count) {
  /** The drops the agent's log names, each counted in its own unit. */
  public enum Kind {
    /** Items refused because the export queue was full (the exporter falls behind the load). */
    EXPORT_QUEUE_FULL("export_queue_full", Unit.ITEMS, "has been hit, dropping a telemetry record"),
    /** Batches the disk buffer could not hold while ingestion was failing. */
    DISK_BUFFER_FULL(
        "disk_buffer_full", Unit.BATCHES, "Local persistent storage capacity has been reached"),
    /** Batches the ingestion endpoint refused with an answer that is not retried. */
    REFUSED("refused", Unit.BATCHES, "Received response code");

    public final String label;
    public final Unit unit;
    private final String marker;

    Kind(String label, Unit unit, String marker) {
      this.label = label;
      this.unit = unit;
      this.marker = marker;
    }
  }

  /** What a count counts. */
  public enum Unit {
    ITEMS("items"),
    BATCHES("batches");

    public final String label;

    Unit(String label) {
      this.label = label;
    }
  }

  private static final String FIRST = "(future warnings will be aggregated";
  private static final String RETRIED = "retried";
  private static final Pattern AGGREGATED =
      Pattern.compile("^\\s*\\* .*\\((\\d{1,18}) times\\)\\s*$");

  /** The drop a line of the agent's log reports, if it reports one. */
  public static Optional<AgentDropReport> of(String line) {
    Kind kind = kindOf(line);
    if (kind == null) {
      return Optional.empty();
    }
    Matcher aggregated = AGGREGATED.matcher(line);
    if (aggregated.matches()) {
      return Optional.of(new AgentDropReport(kind, Long.parseLong(aggregated.group(1))));
    }
    if (line.contains(FIRST)) {
      return Optional.of(new AgentDropReport(kind, 1));
    }
    return Optional.empty();
  }

  private static Kind kindOf(String line) {
    for (Kind kind : Kind.values()) {
      if (line.contains(kind.marker)) {
        // A refusal the agent keeps on disk and sends again is not a drop.
        return kind == Kind.REFUSED && line.contains(RETRIED) ? null : kind;
      }
    }
    return null;
  }
}
