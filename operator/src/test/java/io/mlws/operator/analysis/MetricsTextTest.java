package io.mlws.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scorer pod's /metrics as Micrometer writes it, read into calls by version. */
class MetricsTextTest {
  /** Two answer codes of one version, with the histogram's buckets, and lines around them. */
  static final String METRICS =
      """
      # HELP mlws_requests_seconds HTTP requests this pod answered on the scoring port
      # TYPE mlws_requests_seconds histogram
      mlws_requests_seconds_bucket{code="200",method="POST",route="/score",version="canary",le="0.001"} 2
      mlws_requests_seconds_bucket{code="200",method="POST",route="/score",version="canary",le="0.002"} 6
      mlws_requests_seconds_bucket{code="200",method="POST",route="/score",version="canary",le="0.005"} 8
      mlws_requests_seconds_bucket{code="200",method="POST",route="/score",version="canary",le="+Inf"} 8
      mlws_requests_seconds_count{code="200",method="POST",route="/score",version="canary"} 8
      mlws_requests_seconds_sum{code="200",method="POST",route="/score",version="canary"} 0.012
      mlws_requests_seconds_bucket{code="500",method="POST",route="/score",version="canary",le="0.001"} 0
      mlws_requests_seconds_bucket{code="500",method="POST",route="/score",version="canary",le="0.002"} 1
      mlws_requests_seconds_bucket{code="500",method="POST",route="/score",version="canary",le="0.005"} 2
      mlws_requests_seconds_bucket{code="500",method="POST",route="/score",version="canary",le="+Inf"} 2
      mlws_requests_seconds_count{code="500",method="POST",route="/score",version="canary"} 2.0
      mlws_requests_seconds_count{code="401",method="POST",route="/score",version="canary"} 5
      mlws_requests_seconds_count{code="400",method="POST",route="/score",version="canary"} 1
      mlws_routed_requests_total{outcome="200",version="default"} 40
      mlws_requests_seconds_max{code="200",method="POST",route="/score",version="canary"} 0.004
      mlws_requests_seconds_count{code="200",method="POST",route="/score"} 7
      mlws_requests_seconds_count{code="200",method="POST",route="/score",version="canary"} NaN
      mlws_requests_seconds_count{code="200",method="POST",route="/score",version="canary" 3
      """;

  @Test
  void countsCallsFailuresAndBucketsByVersion() {
    Map<String, RequestCounts> byVersion = MetricsText.requestsByVersion(METRICS);

    assertThat(byVersion).containsOnlyKeys("canary");
    RequestCounts canary = byVersion.get("canary");
    assertThat(canary.requests()).isEqualTo(16);
    assertThat(canary.failures()).as("500 and 400; 401 is the caller's").isEqualTo(3);
    java.util.TreeMap<Double, Long> buckets = new java.util.TreeMap<>();
    buckets.put(0.001, 2L);
    buckets.put(0.002, 7L);
    buckets.put(0.005, 10L);
    buckets.put(Double.POSITIVE_INFINITY, 10L);
    assertThat(canary.buckets()).as("both codes' buckets, summed").isEqualTo(buckets);
  }

  @Test
  void anAnswerThatIsNotMetricsCountsNothing() {
    assertThat(MetricsText.requestsByVersion("<html>no</html>\n{}\n")).isEmpty();
  }

  @Test
  void failuresAreWhatTheModelCouldNotAnswer() {
    assertThat(MetricsText.failed("500")).isTrue();
    assertThat(MetricsText.failed("503")).isTrue();
    assertThat(MetricsText.failed("400")).isTrue();
    assertThat(MetricsText.failed("422")).isTrue();
    assertThat(MetricsText.failed("200")).isFalse();
    assertThat(MetricsText.failed("401")).isFalse();
    assertThat(MetricsText.failed("404")).isFalse();
    assertThat(MetricsText.failed("429")).isFalse();
  }
}
