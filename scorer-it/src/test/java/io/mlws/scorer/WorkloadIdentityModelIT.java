package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlws.scorer.harness.AzuriteBlob;
import io.mlws.scorer.harness.EntraIdAuthority;
import io.mlws.scorer.harness.ScorerProcess;
import io.mlws.scorer.harness.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.model.credential.type WorkloadIdentity, with the real parts but Entra ID: the packaged
 * scorer, azure-identity's workload identity credential reading what the AKS webhook injects
 * (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST), a local
 * token authority over HTTPS, and Azurite over HTTPS (certificates from the test's own CA) with
 * OAuth checking, holding the model in a private container.
 */
class WorkloadIdentityModelIT {
  static final String CLIENT_ID = "5d2c7e5b-0000-4000-8000-0000000000cd";
  static final String STORAGE_AUDIENCE = "https://storage.azure.com";
  static final Path IRIS = Path.of("models/iris.onnx");
  static final String VALID = "{\"data\": [[5.1, 3.5, 1.4, 0.2]]}";

  @TempDir static Path storageDir;
  static TestTls tls;
  static AzuriteBlob azurite;
  @TempDir Path work;

  @BeforeAll
  static void startStorage() throws Exception {
    tls = TestTls.create(Files.createDirectories(storageDir.resolve("tls")));
    azurite = AzuriteBlob.start(storageDir, tls);
    azurite.upload("models", "iris.onnx", Files.readAllBytes(IRIS), storageToken());
  }

  @AfterAll
  static void stopStorage() throws Exception {
    if (azurite != null) {
      azurite.close();
    }
  }

  @Test
  void theModelDownloadsWithTheTokenItsFederatedTokenIsExchangedFor() throws Exception {
    assertThat(azurite.get("models", "iris.onnx").statusCode())
        .as("the container is private: an anonymous GET is refused")
        .isIn(401, 403, 404);
    String federated =
        EntraIdAuthority.federatedToken(
            EntraIdAuthority.EXCHANGE_AUDIENCE, Instant.now().plus(Duration.ofHours(1)));
    try (EntraIdAuthority authority = new EntraIdAuthority(STORAGE_AUDIENCE);
        ScorerProcess scorer = scorer(authority, federated)) {
      scorer.awaitReady();
      assertThat(scorer.score(VALID, "wi-1").body()).contains("setosa");
      assertThat(authority.tokenRequests)
          .singleElement()
          .satisfies(
              form -> {
                assertThat(form).containsEntry("client_id", CLIENT_ID);
                // MSAL adds its own scopes ("openid profile offline_access") after ours.
                assertThat(form.get("scope")).startsWith("https://storage.azure.com/.default");
                assertThat(form).containsEntry("grant_type", "client_credentials");
                assertThat(form).containsEntry("client_assertion", federated);
              });
      assertThat(authority.otherRequests).as("requests other than the token exchange").isEmpty();
      // What the token costs at start, in the CI log: from "downloading" (the credential built,
      // the token asked for) to "downloaded".
      Files.readAllLines(scorer.log).stream()
          .filter(l -> l.contains("downloading model from") || l.contains("downloaded "))
          .forEach(l -> System.out.println("WorkloadIdentityModelIT: " + l));
      assertThat(Files.readString(scorer.log))
          .contains("credential: workload identity (client " + CLIENT_ID)
          .doesNotContain(federated)
          .doesNotContain("eyJ");
    }
  }

  @Test
  void aTokenForAnotherAudienceIsAStartUpErrorNamingIt() throws Exception {
    String federated =
        EntraIdAuthority.federatedToken(
            EntraIdAuthority.EXCHANGE_AUDIENCE, Instant.now().plus(Duration.ofHours(1)));
    try (EntraIdAuthority authority = new EntraIdAuthority("https://vault.azure.net");
        ScorerProcess scorer = scorer(authority, federated)) {
      assertThat(startUpError(scorer))
          .contains("failed with HTTP 403")
          .contains("Invalid token audience")
          .contains("for audience https://vault.azure.net");
    }
  }

  @Test
  void anExpiredFederatedTokenIsAStartUpErrorNamingIt() throws Exception {
    String federated =
        EntraIdAuthority.federatedToken(
            EntraIdAuthority.EXCHANGE_AUDIENCE, Instant.now().minus(Duration.ofMinutes(5)));
    try (EntraIdAuthority authority = new EntraIdAuthority(STORAGE_AUDIENCE);
        ScorerProcess scorer = scorer(authority, federated)) {
      assertThat(startUpError(scorer))
          .contains("AADSTS700024")
          .contains("for audience " + EntraIdAuthority.EXCHANGE_AUDIENCE + ", expired at");
    }
  }

  /** A token for Storage, as Entra ID would issue it, for the test's own uploads. */
  private static String storageToken() {
    long now = Instant.now().getEpochSecond();
    return EntraIdAuthority.jwt(
        Map.of(
            "aud",
            STORAGE_AUDIENCE,
            "iss",
            "https://sts.windows.net/" + EntraIdAuthority.TENANT + "/",
            "iat",
            now - 5,
            "nbf",
            now - 5,
            "exp",
            now + 600));
  }

  private ScorerProcess scorer(EntraIdAuthority authority, String federatedToken) throws Exception {
    tls.trust("authority-" + authority.port(), authority.certificate());
    Path tokenFile = Files.writeString(work.resolve("azure-identity-token"), federatedToken);
    return ScorerProcess.start(
        work,
        null,
        Map.of(
            "MLWS_MODEL_URI",
            azurite.blob("models", "iris.onnx").toString(),
            "MLWS_MODEL_WORKLOAD_IDENTITY",
            "true",
            "AZURE_CLIENT_ID",
            CLIENT_ID,
            "AZURE_TENANT_ID",
            EntraIdAuthority.TENANT,
            "AZURE_FEDERATED_TOKEN_FILE",
            tokenFile.toString(),
            "AZURE_AUTHORITY_HOST",
            authority.authorityHost()),
        tls.trustingJvmOptions());
  }

  /** The scorer's one "cannot serve the model" line; it must exit 1 without a stack trace. */
  private static String startUpError(ScorerProcess scorer) throws Exception {
    assertThat(scorer.process.waitFor(90, TimeUnit.SECONDS)).as("the scorer exits").isTrue();
    String log = Files.readString(scorer.log);
    assertThat(scorer.process.exitValue()).as("exit code; log:\n%s", log).isEqualTo(1);
    assertThat(log).doesNotContain("\tat ");
    List<String> errors = log.lines().filter(l -> l.contains("cannot serve the model")).toList();
    assertThat(errors).as("log:\n%s", log).hasSize(1);
    System.out.println("WorkloadIdentityModelIT: " + errors.get(0));
    return errors.get(0);
  }
}
