package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.mlws.api.v1alpha1.SpecDefaults;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * While there are spec.versions, a Service for each version and one for spec.model's pods
 * (NAME-default): where a scorer pod sends the calls it routes to another version. Callers keep
 * using the service's own Service, which then selects the pods of every version.
 */
public class VersionServices extends VersionObjects<Service> {

  public VersionServices() {
    super(Service.class);
  }

  @Override
  protected Map<String, Service> desired(ScorerPlan plan) {
    return desired(plan.spec());
  }

  public static Map<String, Service> desired(ResolvedSpec spec) {
    Map<String, Service> services = new LinkedHashMap<>();
    if (spec.versions().isEmpty()) {
      return services;
    }
    services.put(
        SpecDefaults.DEFAULT_VERSION_NAME,
        service(spec, SpecDefaults.DEFAULT_VERSION_NAME, ScorerNames.selector(spec.name())));
    for (ResolvedSpec.Version version : spec.versions()) {
      services.put(
          version.name(),
          service(spec, version.name(), ScorerNames.versionSelector(spec.name(), version.name())));
    }
    return services;
  }

  private static Service service(ResolvedSpec spec, String version, Map<String, String> selector) {
    Service service = ScorerService.desired(spec.name(), spec.namespace(), selector);
    return new ServiceBuilder(service)
        .editMetadata()
        .withName(ScorerNames.versionObject(spec.name(), version))
        .withLabels(ScorerNames.versionLabels(spec.name(), version))
        .endMetadata()
        .build();
  }
}
