package io.mlws.operator.process;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.util.Optional;
import java.util.stream.Stream;

/** The running JOSDK operator, with a stop that releases the Lease instead of losing it. */
public final class MlwsOperator {
  private final Operator operator;
  private final LeadershipLoss leadership;

  MlwsOperator(Operator operator, LeadershipLoss leadership) {
    this.operator = operator;
    this.leadership = leadership;
  }

  public void start() {
    operator.start();
  }

  public void stop() {
    leadership.releasing();
    operator.stop();
  }

  public RuntimeInfo runtimeInfo() {
    return operator.getRuntimeInfo();
  }

  /**
   * An object as the operator's informer cache holds it, which is not as the server has it (the
   * caches keep only what the operator reads): for a look from outside, such as a test.
   */
  public <R extends HasMetadata> Optional<R> cached(Class<R> type, ResourceID id) {
    return operator.getRegisteredControllers().stream()
        .map(controller -> (Controller<?>) controller)
        .flatMap(controller -> cachesOf(controller, type))
        .flatMap(cache -> cache.list(object -> ResourceID.fromResource(object).equals(id)))
        .findFirst();
  }

  @SuppressWarnings("unchecked")
  private static <R extends HasMetadata> Stream<Cache<R>> cachesOf(
      Controller<?> controller, Class<R> type) {
    var sources = controller.getEventSourceManager();
    Stream<Object> primary =
        controller.getConfiguration().getResourceClass().equals(type)
            ? Stream.of(sources.getControllerEventSource())
            : Stream.empty();
    return Stream.concat(primary, sources.getEventSourcesFor(type).stream().map(s -> (Object) s))
        .filter(Cache.class::isInstance)
        .map(source -> (Cache<R>) source);
  }
}
