package io.mlws.scorer.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The route templates a request is named and counted by, whoever answers it. */
class RoutesTest {
  @ParameterizedTest
  @CsvSource({
    "/score, /score",
    "/swagger.json, /swagger.json",
    "/v2/models/iris/infer, /v2/models/{name}/infer",
    "/v2/models/iris/versions/3/infer, /v2/models/{name}/versions/{version}/infer",
    "/v2/models/iris, /v2/models/{name}",
    "/v2/models/iris/ready, /v2/models/{name}/ready",
    "/score/extra, unknown",
    "/v2/models/a/b/c, unknown",
    "/admin, unknown"
  })
  void templates(String path, String template) {
    assertThat(Routes.template(path)).isEqualTo(template);
  }

  @ParameterizedTest
  @CsvSource({"/score, POST /score", "unknown, POST (unknown route)"})
  void requestNames(String template, String name) {
    assertThat(Routes.requestName("POST", template)).isEqualTo(name);
  }

  @ParameterizedTest
  @CsvSource({
    "GET, GET /score",
    "PATCH, PATCH /score",
    "post, _OTHER /score",
    "XYZZY, _OTHER /score",
    "GET2, _OTHER /score"
  })
  void aMethodNoStandardNamesIsOther(String method, String name) {
    assertThat(Routes.requestName(method, "/score")).isEqualTo(name);
  }
}
