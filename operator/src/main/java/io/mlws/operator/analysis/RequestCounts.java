package io.mlws.operator.analysis;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A model version's calls as its pods count them in mlws_requests_seconds: how many, how many
 * failed, and the histogram's cumulative buckets (upper bound in seconds, calls at or under it).
 */
record RequestCounts(long requests, long failures, NavigableMap<Double, Long> buckets) {
  static final RequestCounts NONE = new RequestCounts(0, 0, new TreeMap<>());

  RequestCounts plus(RequestCounts other) {
    NavigableMap<Double, Long> sum = new TreeMap<>(buckets);
    other.buckets.forEach((le, count) -> sum.merge(le, count, Long::sum));
    return new RequestCounts(requests + other.requests, failures + other.failures, sum);
  }

  /**
   * The calls counted since {@code earlier}; all of these when a count went down (the scorer
   * restarted and counts from zero again).
   */
  RequestCounts since(RequestCounts earlier) {
    if (requests < earlier.requests || failures < earlier.failures) {
      return this;
    }
    NavigableMap<Double, Long> difference = new TreeMap<>();
    for (Map.Entry<Double, Long> bucket : buckets.entrySet()) {
      long before = earlier.buckets.getOrDefault(bucket.getKey(), 0L);
      if (bucket.getValue() < before) {
        return this;
      }
      difference.put(bucket.getKey(), bucket.getValue() - before);
    }
    return new RequestCounts(requests - earlier.requests, failures - earlier.failures, difference);
  }

  /** Failed calls as a percentage of all; 0 without calls. */
  double failurePercent() {
    return requests == 0 ? 0 : 100.0 * failures / requests;
  }

  /**
   * The 95th percentile latency in milliseconds, interpolated in the bucket it falls in, as
   * Prometheus' histogram_quantile does; the last finite bound when it falls beyond it.
   */
  long p95Milliseconds() {
    long total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
    if (total == 0) {
      return 0;
    }
    double rank = 0.95 * total;
    double lower = 0;
    long below = 0;
    for (Map.Entry<Double, Long> bucket : buckets.entrySet()) {
      if (bucket.getValue() >= rank) {
        if (bucket.getKey().isInfinite()) {
          return Math.round(lower * 1000);
        }
        double inBucket = bucket.getValue() - below;
        double share = inBucket == 0 ? 1 : (rank - below) / inBucket;
        return Math.round((lower + (bucket.getKey() - lower) * share) * 1000);
      }
      lower = bucket.getKey();
      below = bucket.getValue();
    }
    return Math.round(lower * 1000);
  }
}
