package io.mlws.scorer;

import io.mlws.scorer.model.OnnxModel;
import io.mlws.scorer.protocol.ApiError;
import java.util.concurrent.atomic.AtomicReference;

/** The model once it is loaded: until then the scorer is alive but not ready. */
public final class ModelHolder {
  private final AtomicReference<OnnxModel> model = new AtomicReference<>();

  public void set(OnnxModel loaded) {
    model.set(loaded);
  }

  public boolean ready() {
    return model.get() != null;
  }

  public OnnxModel require() throws ApiError {
    OnnxModel loaded = model.get();
    if (loaded == null) {
      throw new ApiError(
          503, "ModelLoading", "the model is not loaded yet; retry when /ready answers 200");
    }
    return loaded;
  }
}
