package io.mlws.operator;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.status.TransitionEvents;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Events on an MLWebService for `kubectl describe`. A repeated event (same object, type,
 * reason and message) is one Event whose count and lastTimestamp move, as kubelet and the
 * controllers do, so a resource that keeps failing does not fill etcd. The Event's name is derived
 * from those four, so a restarted operator continues the same Event. An event that cannot be
 * written is logged and dropped: it must never fail or repeat a reconciliation.
 */
public final class EventPublisher {
  static final String COMPONENT = "mlws-operator";
  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

  private final KubernetesClient client;

  /** Event name to the count last written, for the events this process has written. */
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();

  public EventPublisher(KubernetesClient client) {
    this.client = client;
  }

  public void publish(MLWebService mlws, List<TransitionEvents.Note> notes, Instant now) {
    for (TransitionEvents.Note note : notes) {
      try {
        int count = record(mlws, note, now);
        LOG.info(
            "{} event {} on {}/{} (x{}): {}",
            note.type(),
            note.reason(),
            mlws.getMetadata().getNamespace(),
            mlws.getMetadata().getName(),
            count,
            note.message());
      } catch (KubernetesClientException e) {
        LOG.warn("could not record event {}: {}", note.reason(), e.getMessage());
      }
    }
  }

  private int record(MLWebService mlws, TransitionEvents.Note note, Instant now) {
    String name = eventName(mlws, note);
    String namespace = mlws.getMetadata().getNamespace();
    String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    Integer known = counts.get(name);
    if (known != null && bump(namespace, name, known + 1, time)) {
      return known + 1;
    }
    try {
      return create(mlws, note, name, time);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    // Written by an earlier run of the operator: continue its count.
    Event existing = client.v1().events().inNamespace(namespace).withName(name).get();
    if (existing == null) {
      return create(mlws, note, name, time);
    }
    int next = Objects.requireNonNullElse(existing.getCount(), 1) + 1;
    bump(namespace, name, next, time);
    return next;
  }

  private int create(MLWebService mlws, TransitionEvents.Note note, String name, String time) {
    client
        .v1()
        .events()
        .inNamespace(mlws.getMetadata().getNamespace())
        .resource(event(mlws, note, name, time))
        .create();
    counts.put(name, 1);
    return 1;
  }

  /** Moves count and lastTimestamp; false when the Event has expired meanwhile (its TTL is 1 h). */
  private boolean bump(String namespace, String name, int count, String time) {
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .withName(name)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"count\":%d,\"lastTimestamp\":\"%s\"}".formatted(count, time));
      counts.put(name, count);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        counts.remove(name);
        return false;
      }
      throw e;
    }
  }

  private static Event event(
      MLWebService mlws, TransitionEvents.Note note, String name, String time) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(mlws.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(mlws.getApiVersion())
        .withKind(mlws.getKind())
        .withName(mlws.getMetadata().getName())
        .withNamespace(mlws.getMetadata().getNamespace())
        .withUid(mlws.getMetadata().getUid())
        .endInvolvedObject()
        .withType(note.type())
        .withReason(note.reason())
        .withMessage(note.message())
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .build();
  }

  /** NAME.&lt;16 hex digits&gt;: stable for the same object, type, reason and message. */
  static String eventName(MLWebService mlws, TransitionEvents.Note note) {
    String identity =
        String.join(
            "\n",
            Objects.requireNonNullElse(mlws.getMetadata().getUid(), ""),
            note.type(),
            note.reason(),
            note.message());
    return mlws.getMetadata().getName() + "." + Sha256.hex(identity).substring(0, 16);
  }
}
