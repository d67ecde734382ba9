package io.mlws.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.status.TransitionEvents;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Events on an MLWebService for `kubectl describe`. An event that cannot be written is
 * logged and dropped: it must never fail or repeat a reconciliation.
 */
public final class EventPublisher {
  static final String COMPONENT = "mlws-operator";
  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

  private final KubernetesClient client;

  public EventPublisher(KubernetesClient client) {
    this.client = client;
  }

  public void publish(MLWebService mlws, List<TransitionEvents.Note> notes, Instant now) {
    for (TransitionEvents.Note note : notes) {
      String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
      var event =
          new EventBuilder()
              .withNewMetadata()
              .withName(
                  mlws.getMetadata().getName()
                      + "."
                      + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
              .withNamespace(mlws.getMetadata().getNamespace())
              .endMetadata()
              .withNewInvolvedObject()
              .withApiVersion(mlws.getApiVersion())
              .withKind(mlws.getKind())
              .withName(mlws.getMetadata().getName())
              .withNamespace(mlws.getMetadata().getNamespace())
              .withUid(mlws.getMetadata().getUid())
              .withResourceVersion(mlws.getMetadata().getResourceVersion())
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
      try {
        client
            .v1()
            .events()
            .inNamespace(mlws.getMetadata().getNamespace())
            .resource(event)
            .create();
        LOG.info(
            "{} event {} on {}/{}: {}",
            note.type(),
            note.reason(),
            mlws.getMetadata().getNamespace(),
            mlws.getMetadata().getName(),
            note.message());
      } catch (KubernetesClientException e) {
        LOG.warn("could not record event {}: {}", note.reason(), e.getMessage());
      }
    }
  }
}
