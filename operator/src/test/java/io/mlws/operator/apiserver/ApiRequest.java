package io.mlws.operator.apiserver;

import java.util.Arrays;
import java.util.List;

/**
 * One request as RBAC sees it: verb, API group and resource (with subresource), derived from the
 * HTTP method and path the way kube-apiserver's request-info resolver does.
 */
public record ApiRequest(
    String userAgent, String verb, String apiGroup, String resource, String path) {

  static ApiRequest of(String method, String pathWithQuery, String userAgent) {
    String[] pathAndQuery = pathWithQuery.split("\\?", 2);
    String query = pathAndQuery.length > 1 ? pathAndQuery[1] : "";
    List<String> parts =
        Arrays.stream(pathAndQuery[0].split("/")).filter(p -> !p.isEmpty()).toList();
    String group = "";
    List<String> rest = List.of();
    if (!parts.isEmpty() && parts.get(0).equals("api") && parts.size() >= 2) {
      rest = parts.subList(2, parts.size());
    } else if (!parts.isEmpty() && parts.get(0).equals("apis") && parts.size() >= 3) {
      group = parts.get(1);
      rest = parts.subList(3, parts.size());
    }
    if (rest.size() >= 2 && rest.get(0).equals("namespaces") && rest.size() > 2) {
      rest = rest.subList(2, rest.size());
    }
    String resource = rest.isEmpty() ? "" : rest.get(0);
    boolean named = rest.size() >= 2;
    if (rest.size() >= 3) {
      resource = resource + "/" + rest.get(2);
    }
    String verb =
        switch (method) {
          case "GET" -> !named ? (query.contains("watch=true") ? "watch" : "list") : "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase();
        };
    return new ApiRequest(userAgent == null ? "" : userAgent, verb, group, resource, pathWithQuery);
  }

  /** "group/resource:verb", the unit an RBAC rule grants. */
  public String permission() {
    return (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource + ":" + verb;
  }
}
