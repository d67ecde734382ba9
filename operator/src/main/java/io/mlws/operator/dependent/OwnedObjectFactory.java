package io.mlws.operator.dependent;

import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import io.mlws.operator.OperatorConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Lets JOSDK build our dependents with the operator's configuration passed to their constructor,
 * instead of each one reading the environment or a static holder.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class OwnedObjectFactory
    implements DependentResourceFactory<ControllerConfiguration<?>, DependentResourceSpec> {
  private final OperatorConfig config;

  public OwnedObjectFactory(OperatorConfig config) {
    this.config = config;
  }

  @Override
  public DependentResource createFrom(
      DependentResourceSpec spec, ControllerConfiguration<?> controllerConfiguration) {
    DependentResource dependent = instantiate(spec.getDependentResourceClass());
    configure(dependent, spec, controllerConfiguration);
    return dependent;
  }

  @Override
  public Class<?> associatedResourceType(DependentResourceSpec spec) {
    return instantiate(spec.getDependentResourceClass()).resourceType();
  }

  private DependentResource instantiate(Class<? extends DependentResource> type) {
    try {
      for (Constructor<?> constructor : type.getConstructors()) {
        if (constructor.getParameterCount() == 1
            && constructor.getParameterTypes()[0] == OperatorConfig.class) {
          return (DependentResource) constructor.newInstance(config);
        }
      }
      return type.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
      throw new IllegalStateException("cannot create dependent " + type.getName(), cause);
    }
  }
}
