package io.mlws.scorer.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The model versions behind this service's URL (the settings file's "routing", written by the
 * operator from spec.versions) and which of them this pod serves. Without versions there is one
 * route, this pod's, and nothing is routed.
 */
public record VersionRoutes(String own, List<Route> routes) {
  /** The name of spec.model's version, which pods without MLWS_VERSION_NAME serve. */
  public static final String DEFAULT_VERSION = "default";

  /**
   * One version: its share of the calls, the share of calls it is sent a copy of (shadow traffic),
   * its Service (empty until known), its model's identity.
   */
  public record Route(
      String name,
      int weight,
      int mirror,
      Optional<URI> url,
      String modelName,
      String modelVersion) {}

  public VersionRoutes {
    routes = List.copyOf(routes);
  }

  /** A pod that serves {@code own} and knows of no other version. */
  public static VersionRoutes none(Optional<String> own) {
    return new VersionRoutes(own.orElse(DEFAULT_VERSION), List.of());
  }

  /** Whether calls are shared among versions: the settings file lists some. */
  public boolean active() {
    return !routes.isEmpty();
  }

  public Optional<Route> named(String name) {
    return routes.stream().filter(route -> route.name().equals(name)).findFirst();
  }

  /**
   * The version a call goes to, from {@code percent} drawn uniformly in [0, 100): the versions'
   * weights laid end to end. With no route, or weights that leave part of the range uncovered, this
   * pod's own.
   */
  public String pick(int percent) {
    int end = 0;
    for (Route route : routes) {
      end += route.weight();
      if (percent < end) {
        return route.name();
      }
    }
    return own;
  }

  /**
   * The versions a call answered by {@code live} is also copied to: each version with a mirror
   * share and an address, when {@code percent.getAsInt()} (drawn anew for each) falls in it.
   */
  public List<Route> mirrorsOf(String live, java.util.function.IntSupplier percent) {
    List<Route> mirrors = new ArrayList<>();
    for (Route route : routes) {
      if (route.mirror() > 0
          && !route.name().equals(live)
          && route.url().isPresent()
          && percent.getAsInt() < route.mirror()) {
        mirrors.add(route);
      }
    }
    return mirrors;
  }

  /** The settings file's "routing" section (docs/api.md), for a pod serving {@code own}. */
  public static VersionRoutes fromSettings(JsonNode routing, String own) {
    List<Route> routes = new ArrayList<>();
    int total = 0;
    for (JsonNode version : routing.path("versions")) {
      String name = version.path("name").asText("");
      int weight = version.path("weight").asInt(-1);
      int mirror = version.path("mirror").asInt(0);
      if (name.isEmpty() || weight < 0 || weight > 100 || mirror < 0 || mirror > 100) {
        throw new IllegalArgumentException(
            "routing.versions[] needs a name, a weight and a mirror share from 0 to 100, got "
                + version);
      }
      total += weight;
      String url = version.path("url").asText("");
      routes.add(
          new Route(
              name,
              weight,
              mirror,
              url.isBlank() ? Optional.empty() : Optional.of(URI.create(url)),
              version.path("model").path("name").asText(""),
              version.path("model").path("version").asText("")));
    }
    if (total > 100) {
      throw new IllegalArgumentException(
          "routing.versions' weights add up to " + total + ", more than 100");
    }
    return new VersionRoutes(own, routes);
  }
}
