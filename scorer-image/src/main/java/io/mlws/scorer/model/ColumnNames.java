package io.mlws.scorer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * Names the columns of a tensor (a score tensor's classes, an input's features): the model's {@code
 * labels} metadata (comma-separated) when it has one name per column, else a prefix and the column
 * number ({@code class_0}, or {@code 0} when the model's labels are int64 class numbers).
 */
public record ColumnNames(List<String> fromMetadata, String prefix) {

  /** Parses the metadata once, at model load, not on every request. */
  public static ColumnNames parse(String metadata, String prefix) {
    List<String> names =
        metadata == null || metadata.isBlank()
            ? List.of()
            : Arrays.stream(metadata.split(",")).map(String::trim).toList();
    return new ColumnNames(new HashSet<>(names).size() == names.size() ? names : List.of(), prefix);
  }

  public List<String> of(int count) {
    if (fromMetadata.size() == count) {
      return fromMetadata;
    }
    List<String> generated = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      generated.add(prefix + i);
    }
    return generated;
  }
}
