package io.mlws.scorer.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides from a signature how to read a model (the rules are in docs/scorer.md):
 *
 * <ul>
 *   <li>classifier: a label output (int64 or string [N]) with a score output (float [N, C] or a
 *       ZipMap), or either one alone when it is the only output; a lone float [N, C] output with C
 *       of 2 or more is read as class scores (argmax);
 *   <li>regressor: a lone float or double output [N] or [N, 1];
 *   <li>generic: anything else.
 * </ul>
 *
 * <p>An override ({@code MLWS_MODEL_KIND}, else the model's {@code mlws.kind} metadata) of {@code
 * classifier}, {@code regressor} or {@code generic} replaces the guess; {@code auto} keeps it.
 */
public final class ModelKindDecision {
  public static final String METADATA_KEY = "mlws.kind";

  /** The values an override may take, in MLWS_MODEL_KIND or the model's metadata. */
  public static final List<String> KINDS = List.of("auto", "classifier", "regressor", "generic");

  private ModelKindDecision() {}

  public static ModelKind decide(ModelSignature signature, Optional<String> configured)
      throws UnservableModel {
    String override =
        configured
            .or(() -> Optional.ofNullable(signature.metadata().get(METADATA_KEY)))
            .map(s -> s.trim().toLowerCase(Locale.ROOT))
            .orElse("auto");
    return switch (override) {
      case "auto" -> guess(signature);
      case "classifier" ->
          classifier(signature)
              .<ModelKind>map(c -> c)
              .orElseThrow(
                  () ->
                      new UnservableModel(
                          "the model is declared a classifier but has no label output (int64 or string [N])"
                              + " and no score output (float [N, C] or ZipMap): "
                              + signature.outputs()));
      case "regressor" ->
          regressor(signature)
              .orElseThrow(
                  () ->
                      new UnservableModel(
                          "the model is declared a regressor but has no float or double output of rank 1"
                              + " or 2: "
                              + signature.outputs()));
      case "generic" -> generic(signature);
      default ->
          throw new UnservableModel(
              "model kind \"" + override + "\" is unknown; use one of " + String.join(", ", KINDS));
    };
  }

  private static ModelKind guess(ModelSignature signature) {
    List<TensorSpec> outputs = signature.outputs();
    if (outputs.size() == 1) {
      TensorSpec only = outputs.get(0);
      if (isNumber(only) && (only.rank() == 1 || (only.rank() == 2 && only.shape()[1] == 1))) {
        return new ModelKind.Regressor(only.name());
      }
    }
    Optional<ModelKind.Classifier> classifier = classifier(signature);
    if (classifier.isPresent() && classifier.get().outputsRead() == outputs.size()) {
      return classifier.get();
    }
    return generic(signature);
  }

  private static Optional<ModelKind.Classifier> classifier(ModelSignature signature) {
    Optional<TensorSpec> label =
        signature.outputs().stream().filter(ModelKindDecision::isLabel).findFirst();
    Optional<TensorSpec> scores =
        signature.outputs().stream().filter(o -> isScores(signature, o)).findFirst();
    if (label.isEmpty() && scores.isEmpty()) {
      return Optional.empty();
    }
    String prefix = label.filter(l -> l.type() == ElementType.INT64).isPresent() ? "" : "class_";
    return Optional.of(
        new ModelKind.Classifier(
            label.map(TensorSpec::name),
            scores.map(TensorSpec::name),
            ColumnNames.parse(signature.metadata().get("labels"), prefix)));
  }

  private static Optional<ModelKind> regressor(ModelSignature signature) {
    return signature.outputs().stream()
        .filter(o -> isNumber(o) && (o.rank() == 1 || o.rank() == 2))
        .findFirst()
        .map(o -> new ModelKind.Regressor(o.name()));
  }

  private static ModelKind generic(ModelSignature signature) {
    return new ModelKind.Generic(signature.outputs().stream().map(TensorSpec::name).toList());
  }

  private static boolean isLabel(TensorSpec output) {
    return (output.type() == ElementType.INT64 || output.type() == ElementType.STRING)
        && output.rank() == 1;
  }

  private static boolean isScores(ModelSignature signature, TensorSpec output) {
    return signature.isZipMap(output.name())
        || (isNumber(output) && output.rank() == 2 && output.shape()[1] != 1);
  }

  private static boolean isNumber(TensorSpec output) {
    return output.type() == ElementType.FLOAT || output.type() == ElementType.DOUBLE;
  }
}
