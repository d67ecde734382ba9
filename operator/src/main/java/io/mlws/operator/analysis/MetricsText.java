package io.mlws.operator.analysis;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a scorer pod's /metrics (Prometheus' text format) for what analysis judges:
 * mlws_requests_seconds by version, its counts by answer code and its buckets.
 */
final class MetricsText {
  static final String COUNT = "mlws_requests_seconds_count{";
  static final String BUCKET = "mlws_requests_seconds_bucket{";

  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private MetricsText() {}

  /** The calls a pod answered, by the version label of its metrics. */
  static Map<String, RequestCounts> requestsByVersion(String text) {
    Map<String, long[]> counts = new HashMap<>();
    Map<String, TreeMap<Double, Long>> buckets = new HashMap<>();
    for (String line : text.split("\n")) {
      boolean count = line.startsWith(COUNT);
      if (!count && !line.startsWith(BUCKET)) {
        continue;
      }
      int close = line.lastIndexOf('}');
      if (close < 0) {
        continue;
      }
      Map<String, String> labels = labels(line.substring(line.indexOf('{') + 1, close));
      String version = labels.get("version");
      Double value = number(line.substring(close + 1).trim().split(" ")[0]);
      if (version == null || value == null) {
        continue;
      }
      if (count) {
        long[] totals = counts.computeIfAbsent(version, v -> new long[2]);
        totals[0] += value.longValue();
        if (failed(labels.getOrDefault("code", ""))) {
          totals[1] += value.longValue();
        }
      } else {
        Double le = number(labels.getOrDefault("le", ""));
        if (le != null) {
          buckets
              .computeIfAbsent(version, v -> new TreeMap<>())
              .merge(le, value.longValue(), Long::sum);
        }
      }
    }
    Map<String, RequestCounts> byVersion = new HashMap<>();
    counts.forEach(
        (version, totals) ->
            byVersion.put(
                version,
                new RequestCounts(
                    totals[0], totals[1], buckets.getOrDefault(version, new TreeMap<>()))));
    return byVersion;
  }

  /**
   * An answer that says the model could not answer the call: 400 (input it refused), 422, or any
   * 5xx. 401, 403, 404, 413 and 429 are about the caller or the load, not the version.
   */
  static boolean failed(String code) {
    return code.startsWith("5") || code.equals("400") || code.equals("422");
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new HashMap<>();
    Matcher matcher = LABEL.matcher(text);
    while (matcher.find()) {
      labels.put(matcher.group(1), matcher.group(2));
    }
    return labels;
  }

  private static Double number(String text) {
    if (text.equals("+Inf")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      double value = Double.parseDouble(text);
      return Double.isNaN(value) ? null : value;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
