package io.mlws.scorer.auth;

import java.util.Optional;

/** What a caller must present on the scoring routes: keys, or a Microsoft Entra ID token. */
public interface CallerGate {
  /**
   * Why a call with this Authorization header (null when absent) is refused; empty to let it in.
   */
  Optional<String> refusal(String authorization);

  /** The error message a refused caller reads in the 401's JSON body. */
  String requirement();
}
