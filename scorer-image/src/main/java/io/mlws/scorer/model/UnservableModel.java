package io.mlws.scorer.model;

/** A model the scorer cannot serve, with a message that names the input or output and says why. */
public final class UnservableModel extends Exception {
  public UnservableModel(String message) {
    super(message, null, false, false);
  }
}
