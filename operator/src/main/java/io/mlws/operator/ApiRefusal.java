package io.mlws.operator;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what the API server said in a failure: a refusal that the same request cannot overcome
 * (400, 403 from RBAC or an admission webhook, 422 from validation or a policy) is reported in
 * status as ApplyFailed; a 409 conflict is ordinary concurrency and is retried quietly.
 */
public final class ApiRefusal {
  private static final int MAX_MESSAGE = 1024;

  private ApiRefusal() {}

  /** The server's own message of the first permanent refusal found in the failure. */
  static Optional<String> permanent(Throwable failure) {
    return find(failure, code -> code == 400 || code == 403 || code == 422)
        .map(ApiRefusal::serverMessage);
  }

  /** For a Warning event: the API server's message when it answered, else the root cause's. */
  public static String describe(Throwable failure) {
    Optional<KubernetesClientException> answered = find(failure, code -> code > 0);
    if (answered.isPresent()) {
      return serverMessage(answered.get());
    }
    Throwable root = rootCause(failure);
    return truncated(
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
  }

  /** The innermost cause: what actually went wrong under the wrappers. */
  public static Throwable rootCause(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  static boolean conflict(Throwable failure) {
    return find(failure, code -> code == 409).isPresent();
  }

  private static Optional<KubernetesClientException> find(
      Throwable failure, java.util.function.IntPredicate code) {
    Deque<Throwable> pending = new ArrayDeque<>();
    Set<Throwable> seen = new HashSet<>();
    pending.add(failure);
    while (!pending.isEmpty()) {
      Throwable t = pending.poll();
      if (!seen.add(t)) {
        continue;
      }
      if (t instanceof KubernetesClientException k && code.test(k.getCode())) {
        return Optional.of(k);
      }
      if (t instanceof AggregatedOperatorException aggregated) {
        pending.addAll(aggregated.getAggregatedExceptions().values());
      }
      if (t.getCause() != null) {
        pending.add(t.getCause());
      }
    }
    return Optional.empty();
  }

  private static String serverMessage(KubernetesClientException e) {
    return truncated(
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage());
  }

  private static String truncated(String message) {
    return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
  }
}
