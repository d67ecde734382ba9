package io.mlws.operator.telemetry;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.SecretKeyReference;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.spec.ResolvedSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Watches the Secrets that MLWebServices name for their connection string, so that creating,
 * fixing, rotating or deleting one takes effect with no other change. Only Secrets labelled {@value
 * #LABEL}=true are listed and watched: the API server filters, so the operator never receives the
 * cluster's other Secrets (Helm releases, tokens, certificates).
 */
public final class ConnectionStringSecrets {
  /** The label users put on a connection-string Secret so that the operator can see it. */
  public static final String LABEL = "mlws.io/connection-string";

  public static final String SELECTOR = LABEL + "=true";

  private static final String INDEX = "mlws-connection-string-secret";

  private ConnectionStringSecrets() {}

  public static InformerEventSource<Secret, MLWebService> eventSource(
      EventSourceContext<MLWebService> context, OperatorConfig config) {
    context.getPrimaryCache().addIndexer(INDEX, mlws -> secretKey(mlws, config));
    var configuration =
        InformerEventSourceConfiguration.from(Secret.class, MLWebService.class)
            .withName("connection-string-secrets")
            .withNamespacesInheritedFromController()
            .withLabelSelector(SELECTOR)
            .withItemStore(new KeyNamesOnlySecretStore())
            .withSecondaryToPrimaryMapper(
                secret ->
                    context
                        .getPrimaryCache()
                        .byIndex(
                            INDEX,
                            indexKey(
                                secret.getMetadata().getNamespace(),
                                secret.getMetadata().getName()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withPrimaryToSecondaryMapper(
                (MLWebService mlws) ->
                    secretName(mlws, config)
                        .map(
                            name -> Set.of(new ResourceID(name, mlws.getMetadata().getNamespace())))
                        .orElse(Set.of()))
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  private static Optional<String> secretName(MLWebService mlws, OperatorConfig config) {
    ResolvedSpec spec = ResolvedSpec.of(mlws, config);
    if (!spec.appInsights().requested()) {
      return Optional.empty();
    }
    return spec.appInsights().connectionStringSecret().map(SecretKeyReference::getName);
  }

  private static List<String> secretKey(MLWebService mlws, OperatorConfig config) {
    return secretName(mlws, config)
        .map(name -> List.of(indexKey(mlws.getMetadata().getNamespace(), name)))
        .orElse(List.of());
  }

  private static String indexKey(String namespace, String name) {
    return namespace + "/" + name;
  }
}
