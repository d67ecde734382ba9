package io.mlws.scorer.model;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests in other packages compute a model file's digest the way the scorer does. */
public final class ModelFetcherAccess {
  private ModelFetcherAccess() {}

  public static String sha256(Path file) throws IOException {
    return ModelFetcher.sha256Of(file);
  }
}
