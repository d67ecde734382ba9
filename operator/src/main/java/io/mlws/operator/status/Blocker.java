package io.mlws.operator.status;

/**
 * Why the operator cannot make the scorer objects match the spec until someone acts: an invalid
 * spec, a choice the operator's policy does not allow, an object in the way, an apply the API
 * server refuses, or new scorer pods that cannot start. Reported as Stalled with this reason; the
 * operator keeps looking and clears it when the cause goes.
 *
 * @param reason CamelCase condition reason
 * @param message a sentence saying what is wrong and what to do
 */
public record Blocker(String reason, String message) {
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String NOT_ALLOWED = "NotAllowed";
  public static final String OBJECT_IN_THE_WAY = "ObjectInTheWay";
  public static final String APPLY_FAILED = "ApplyFailed";
  public static final String SCORER_PODS_FAILING = "ScorerPodsFailing";
}
