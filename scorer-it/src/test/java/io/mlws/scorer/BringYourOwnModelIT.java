package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mlws.devtools.docs.DocFiles;
import io.mlws.scorer.harness.AzuriteBlob;
import io.mlws.scorer.harness.EntraIdAuthority;
import io.mlws.scorer.harness.ScorerProcess;
import io.mlws.scorer.harness.TestTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/bring-your-own-model.md, run as written: its export_model.py in the pinned converters'
 * environment, its upload-model.sh with bash and curl against Azurite over HTTPS, its churn.yaml
 * filled in as envsubst would and served by the packaged scorer with what the operator and the
 * workload identity webhook give the pods, then its compare.py against that scorer.
 */
class BringYourOwnModelIT {
  static final Path PAGE = Path.of("../docs/bring-your-own-model.md");
  static final Path MAKE_MODELS = Path.of("test-models/make-models.sh");
  static final String CLIENT_ID = "5d2c7e5b-0000-4000-8000-00000000b10b";
  static final ObjectMapper YAML = new YAMLMapper();

  @TempDir Path work;

  @Test
  void thePagesCommandsServeThePipelineAsItAnswers() throws Exception {
    Map<String, String> files = DocFiles.of(PAGE);
    assertThat(files)
        .containsOnlyKeys("export_model.py", "upload-model.sh", "churn.yaml", "compare.py");
    Path here = Files.createDirectories(work.resolve("user"));
    for (var file : files.entrySet()) {
      Files.writeString(here.resolve(file.getKey()), file.getValue());
    }

    String python =
        run(here, Map.of(), "bash", MAKE_MODELS.toAbsolutePath().toString(), "--python");
    run(here, Map.of(), python.strip(), "export_model.py");
    assertThat(here.resolve("model.onnx")).isNotEmptyFile();

    TestTls tls = TestTls.create(Files.createDirectories(work.resolve("tls")));
    try (AzuriteBlob azurite = AzuriteBlob.start(work, tls);
        EntraIdAuthority authority = new EntraIdAuthority("https://storage.azure.com")) {
      String accountUrl = azurite.containerUrl("models").replaceFirst("/models$", "");
      String uploaded =
          run(
              here,
              Map.of(
                  "ACCOUNT_URL", accountUrl,
                  "SAS", azurite.createContainerWithSas("models"),
                  "CURL_CA_BUNDLE", tls.caCertificate().toString()),
              "bash",
              "-euo",
              "pipefail",
              "upload-model.sh");
      String sha256 = uploaded.strip().replaceFirst("(?s).*MODEL_SHA256=", "");
      assertThat(sha256).matches("[0-9a-f]{64}");

      JsonNode model =
          YAML.readTree(
                  DocFiles.withVariables(
                      files.get("churn.yaml"),
                      Map.of("ACCOUNT_URL", accountUrl, "MODEL_SHA256", sha256)))
              .at("/spec/model");
      assertThat(model.at("/credential/type").asText()).isEqualTo("WorkloadIdentity");
      try (ScorerProcess scorer = scorerForThePods(model, tls, authority)) {
        scorer.awaitReady();
        assertThat(authority.tokenRequests).as("one token exchange for the download").hasSize(1);
        String compared =
            run(
                here,
                Map.of("SCORING_URL", "http://127.0.0.1:" + scorer.port),
                python.strip(),
                "compare.py");
        System.out.println("BringYourOwnModelIT: " + compared.strip());
        assertThat(compared).contains("the service answers as the pipeline: 8 rows");
      }
    }
  }

  /**
   * The scorer as a pod of the page's MLWebService runs: the model fields as the operator passes
   * them (docs/api.md, "The scorer contract"), and the variables the workload identity webhook
   * injects, the federated token exchanged at the local authority.
   */
  private ScorerProcess scorerForThePods(JsonNode model, TestTls tls, EntraIdAuthority authority)
      throws Exception {
    tls.trust("authority-" + authority.port(), authority.certificate());
    Path tokenFile =
        Files.writeString(
            work.resolve("azure-identity-token"),
            EntraIdAuthority.federatedToken(
                EntraIdAuthority.EXCHANGE_AUDIENCE, Instant.now().plus(Duration.ofHours(1))));
    Map<String, String> env = new HashMap<>();
    env.put("MLWS_MODEL_URI", model.get("uri").asText());
    env.put("MLWS_MODEL_SHA256", model.get("sha256").asText());
    env.put("MLWS_MODEL_WORKLOAD_IDENTITY", "true");
    env.put("AZURE_CLIENT_ID", CLIENT_ID);
    env.put("AZURE_TENANT_ID", EntraIdAuthority.TENANT);
    env.put("AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString());
    env.put("AZURE_AUTHORITY_HOST", authority.authorityHost());
    return ScorerProcess.start(work, null, env, tls.trustingJvmOptions());
  }

  /** A command of the page in the user's folder; its standard output. Fails with its stderr. */
  private String run(Path folder, Map<String, String> env, String... command) throws Exception {
    Path out = Files.createTempFile(work, "command-", ".out");
    Path err = Files.createTempFile(work, "command-", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(List.of(command))
            .directory(folder.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(List.of(command) + " still running after 15 min");
    }
    assertThat(process.exitValue())
        .as("%s; its stderr:\n%s", List.of(command), Files.readString(err))
        .isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
