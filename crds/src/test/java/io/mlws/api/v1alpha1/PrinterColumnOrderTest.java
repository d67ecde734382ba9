package io.mlws.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD lists its printer columns in reading order (kubectl get shows Age last), as
 * applied directly or through kustomize, which leaves it as it is.
 */
class PrinterColumnOrderTest {
  @Test
  void theCommittedCrdShowsItsColumnsInReadingOrder() throws Exception {
    JsonNode generated = CrdYaml.read(CrdYaml.CRD);
    JsonNode installed = CrdYaml.read(kustomize("manifests"));

    List<JsonNode> generatedColumns = columns(generated);
    List<JsonNode> installedColumns = columns(installed);

    assertThat(generatedColumns.stream().map(c -> c.get("name").asText()))
        .containsExactly(
            "Ready", "Replicas", "Ready-Replicas", "Insights", "Data", "Traffic", "URL", "Age");
    assertThat(installedColumns).isEqualTo(generatedColumns);
    JsonNode installedSchema = installed.at("/spec/versions/0/schema");
    assertThat(installedSchema.equals(NUMBERS_BY_VALUE, generated.at("/spec/versions/0/schema")))
        .as("kustomize leaves the schema alone (YAML may print 1.0 as 1)")
        .isTrue();
  }

  private static final Comparator<JsonNode> NUMBERS_BY_VALUE =
      (a, b) -> {
        if (a.equals(b)) {
          return 0;
        }
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return 1;
      };

  private static List<JsonNode> columns(JsonNode crd) {
    List<JsonNode> columns = new ArrayList<>();
    crd.at("/spec/versions/0/additionalPrinterColumns").forEach(columns::add);
    return columns;
  }

  /** The pinned kubectl's kustomize (local-cluster/cluster bin), as users' kubectl renders it. */
  static String kustomize(String directory) throws IOException, InterruptedException {
    Process bin =
        new ProcessBuilder("../local-cluster/cluster", "bin")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String binLines =
        new String(bin.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(bin.waitFor(30, TimeUnit.MINUTES) && bin.exitValue() == 0).isTrue();
    String kubectl = binLines.substring(binLines.lastIndexOf('\n') + 1) + "/kubectl";
    // Into a file, not a pipe: a CRD larger than the pipe's buffer would block kubectl's writes
    // until it is read, and it would be read only after kubectl exits.
    Path out = Files.createTempFile("kustomize-", ".yaml");
    Process process =
        new ProcessBuilder(kubectl, "kustomize", directory)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl kustomize timed out");
    }
    String output = Files.readString(out);
    Files.delete(out);
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
