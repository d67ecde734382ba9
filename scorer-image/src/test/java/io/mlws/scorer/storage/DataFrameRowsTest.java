package io.mlws.scorer.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each request and response shape the scorer takes or gives, as the rows of a table. */
class DataFrameRowsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Azure ML rows, numbered as pandas numbers them | {"data": [[1, 2], [3, 4]]} | [{"0":1,"1":2},{"0":3,"1":4}]
          one row | {"data": [1, 2]} | [{"0":1,"1":2}]
          named columns (pandas split) | {"columns": ["a", "b"], "data": [[1, 2]]} | [{"a":1,"b":2}]
          MLflow's input_data | {"input_data": {"columns": ["a", "b"], "index": [0], "data": [[1, 2]]}} | [{"a":1,"b":2}]
          rows as objects, the request's other fields in each | {"data": [{"a": 1}], "id": "x"} | [{"a":1,"id":"x"}]
          V2 tensor, nested | {"inputs": [{"name": "x", "shape": [2, 2], "datatype": "FP32", "data": [[1, 2], [3, 4]]}]} | [{"x":[1,2]},{"x":[3,4]}]
          V2 tensors, flat | {"inputs": [{"name": "x", "shape": [2, 2], "datatype": "FP32", "data": [1, 2, 3, 4]}, {"name": "id", "shape": [2], "datatype": "BYTES", "data": ["a", "b"]}]} | [{"x":[1,2],"id":"a"},{"x":[3,4],"id":"b"}]
          a classifier's answer | {"predictions": ["setosa", "virginica"], "probabilities": [{"setosa": 0.9}, {"setosa": 0.1}]} | [{"predictions":"setosa","probabilities":{"setosa":0.9}},{"predictions":"virginica","probabilities":{"setosa":0.1}}]
          V2 answer | {"model_name": "iris", "outputs": [{"name": "label", "shape": [1], "datatype": "INT64", "data": [0]}]} | [{"label":0,"model_name":"iris"}]
          anything else, kept whole | {"text": "hello", "n": [1]} | [{"text":"hello","n":[1]}]
          """)
  void rows(String shape, String json, String rows) throws Exception {
    assertThat(DataFrameRows.of(JSON.readTree(json))).isEqualTo(JSON.readTree(rows));
  }
}
