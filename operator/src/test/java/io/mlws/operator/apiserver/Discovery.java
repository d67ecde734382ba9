package io.mlws.operator.apiserver;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The discovery documents kubectl reads before anything else (/api, /apis, /api/v1, /apis/G/V,
 * /version). The bare mock answers them with object lists, which kubectl cannot use.
 */
final class Discovery {
  /** One resource type as discovery describes it. */
  record Kind(
      String group,
      String version,
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames) {
    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  static final List<Kind> KINDS =
      List.of(
          new Kind("", "v1", "namespaces", "Namespace", false, List.of("ns")),
          new Kind("", "v1", "configmaps", "ConfigMap", true, List.of("cm")),
          new Kind("", "v1", "secrets", "Secret", true, List.of()),
          new Kind("", "v1", "services", "Service", true, List.of("svc")),
          new Kind("", "v1", "events", "Event", true, List.of("ev")),
          new Kind("", "v1", "pods", "Pod", true, List.of("po")),
          new Kind("apps", "v1", "deployments", "Deployment", true, List.of("deploy")),
          new Kind(
              "autoscaling",
              "v2",
              "horizontalpodautoscalers",
              "HorizontalPodAutoscaler",
              true,
              List.of("hpa")),
          new Kind(
              "policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, List.of("pdb")),
          new Kind("coordination.k8s.io", "v1", "leases", "Lease", true, List.of()),
          new Kind(
              "apiextensions.k8s.io",
              "v1",
              "customresourcedefinitions",
              "CustomResourceDefinition",
              false,
              List.of("crd", "crds")),
          new Kind("mlws.io", "v1alpha1", "mlwebservices", "MLWebService", true, List.of("mlws")));

  private Discovery() {}

  /** The document for a discovery path, or empty when the path is not one. */
  static Optional<String> document(String path) {
    if (path.equals("/version")) {
      return Optional.of(
          """
          {"major":"1","minor":"32","gitVersion":"v1.32.0-mlws-test","platform":"linux/amd64"}""");
    }
    if (path.equals("/api")) {
      return Optional.of(
          """
          {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""");
    }
    if (path.equals("/apis")) {
      Map<String, String> groups =
          KINDS.stream()
              .filter(k -> !k.group().isEmpty())
              .collect(
                  Collectors.toMap(
                      Kind::group, Kind::version, (a, b) -> a, java.util.TreeMap::new));
      String list =
          groups.entrySet().stream()
              .map(
                  g ->
                      """
                      {"name":"%1$s","versions":[{"groupVersion":"%1$s/%2$s","version":"%2$s"}],"preferredVersion":{"groupVersion":"%1$s/%2$s","version":"%2$s"}}"""
                          .formatted(g.getKey(), g.getValue()))
              .collect(Collectors.joining(","));
      return Optional.of(
          "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + list + "]}");
    }
    String groupVersion =
        path.startsWith("/api/")
            ? path.substring(5)
            : path.startsWith("/apis/") ? path.substring(6) : null;
    if (groupVersion == null) {
      return Optional.empty();
    }
    List<Kind> kinds = KINDS.stream().filter(k -> k.groupVersion().equals(groupVersion)).toList();
    if (kinds.isEmpty()) {
      return Optional.empty();
    }
    String resources =
        kinds.stream()
            .map(
                k ->
                    """
                    {"name":"%s","singularName":"%s","namespaced":%s,"kind":"%s","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":[%s]}"""
                        .formatted(
                            k.plural(),
                            k.kind().toLowerCase(),
                            k.namespaced(),
                            k.kind(),
                            k.shortNames().stream()
                                .map(s -> '"' + s + '"')
                                .collect(Collectors.joining(","))))
            .collect(Collectors.joining(","));
    String statusResources =
        kinds.stream()
            .filter(k -> k.plural().equals("mlwebservices") || k.plural().equals("deployments"))
            .map(
                k ->
                    """
                    ,{"name":"%s/status","singularName":"","namespaced":true,"kind":"%s","verbs":["get","patch","update"]}"""
                        .formatted(k.plural(), k.kind()))
            .collect(Collectors.joining());
    return Optional.of(
        "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\""
            + groupVersion
            + "\",\"resources\":["
            + resources
            + statusResources
            + "]}");
  }
}
