package io.mlws.api.v1alpha1;

/**
 * Who may call a scorer: anyone who reaches it, callers presenting one of its keys, or callers with
 * a Microsoft Entra ID token (spec.auth.entraId).
 */
public enum AuthMode {
  None,
  Keys,
  EntraId
}
