package io.mlws.api.v1alpha1;

/** Who may call a scorer: anyone who reaches it, or only callers presenting one of its keys. */
public enum AuthMode {
  None,
  Keys
}
