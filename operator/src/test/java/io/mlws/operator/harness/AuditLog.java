package io.mlws.operator.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The real kube-apiserver's audit log (local-cluster writes every write request, and every request
 * of the operator's ServiceAccount): who did what, counted at the server rather than by the client.
 */
public final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> WRITES =
      Set.of("create", "update", "patch", "delete", "deletecollection");

  private final Path file;

  public AuditLog(Path file) {
    this.file = file;
  }

  /** One audited request, at its ResponseComplete stage. */
  public record Entry(
      String user,
      String userAgent,
      String verb,
      String apiGroup,
      String resource,
      String subresource,
      String namespace,
      String name,
      int code) {

    public boolean isWrite() {
      return WRITES.contains(verb);
    }

    /**
     * e.g. {@code apps/deployments:patch}, {@code core/secrets:list}, {@code
     * mlws.io/mlwebservices/status:patch}.
     */
    public String permission() {
      String group = (apiGroup.isEmpty() ? "core" : apiGroup) + "/";
      String sub = subresource.isEmpty() ? "" : "/" + subresource;
      return group + resource + sub + ":" + verb;
    }
  }

  /** The entries written after the first {@code index}, read once (the log grows meanwhile). */
  public List<Entry> since(int index) {
    List<Entry> all = entries();
    return all.subList(Math.min(index, all.size()), all.size());
  }

  public List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    if (!Files.exists(file)) {
      return entries;
    }
    try (var lines = Files.lines(file)) {
      lines.forEach(
          line -> {
            try {
              JsonNode event = JSON.readTree(line);
              if (!"ResponseComplete".equals(event.path("stage").asText())) {
                return;
              }
              JsonNode ref = event.path("objectRef");
              entries.add(
                  new Entry(
                      event.path("user").path("username").asText(),
                      event.path("userAgent").asText(),
                      event.path("verb").asText(),
                      ref.path("apiGroup").asText(),
                      ref.path("resource").asText(),
                      ref.path("subresource").asText(),
                      ref.path("namespace").asText(),
                      ref.path("name").asText(),
                      event.path("responseStatus").path("code").asInt()));
            } catch (IOException partialLine) {
              // The server may be writing this line right now.
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  /** Writes that {@code user} made in {@code namespace}. */
  public List<Entry> writes(String user, String namespace) {
    return entries().stream()
        .filter(e -> e.user().equals(user) && e.isWrite() && namespace.equals(e.namespace()))
        .toList();
  }
}
