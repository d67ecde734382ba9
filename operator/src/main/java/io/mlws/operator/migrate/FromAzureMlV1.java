package io.mlws.operator.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints the MLWebService for an Azure ML v1 AKS web service, its notes as comments first:
 *
 * <pre>
 * az ml service show --name my-service -o json &gt; my-service.json
 * java -cp operator/target/operator.jar io.mlws.operator.migrate.FromAzureMlV1 my-service.json
 * </pre>
 *
 * A deployment configuration file (the {@code --deploy-config-file} of {@code az ml model deploy})
 * has no name: give it with {@code --name NAME}. With no file, it reads the JSON from standard
 * input. Exits 2 with a reason on bad input.
 */
public final class FromAzureMlV1 {
  private FromAzureMlV1() {}

  public static void main(String[] args) throws IOException {
    String name = null;
    String file = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--name") && i + 1 < args.length) {
        name = args[++i];
      } else {
        file = args[i];
      }
    }
    try (InputStream in = file == null ? System.in : Files.newInputStream(Path.of(file))) {
      com.fasterxml.jackson.databind.JsonNode v1 = new ObjectMapper().readTree(in);
      if (name != null && v1 instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
        object.put("name", name);
      }
      System.out.print(manifest(v1));
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("FromAzureMlV1: " + e.getMessage());
      System.exit(2);
    }
  }

  /** The notes, each a YAML comment, then the MLWebService. */
  public static String manifest(com.fasterxml.jackson.databind.JsonNode v1) {
    AzureMlV1Service.Conversion conversion = AzureMlV1Service.convert(v1);
    StringBuilder out = new StringBuilder();
    out.append("# Converted from the Azure ML v1 service ")
        .append(v1.path("name").asText())
        .append(" (docs/migrate-from-azureml-v1.md). To do before applying it:\n");
    for (String note : conversion.notes()) {
      out.append("# - ").append(note).append('\n');
    }
    KubernetesSerialization serialization = new KubernetesSerialization();
    return out.append(serialization.asYaml(conversion.service())).toString();
  }
}
