package io.mlws.scorer.model.entra;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.WorkloadIdentityCredential;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import io.mlws.scorer.model.ModelFetcher.ModelUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Azure Storage tokens for the model download from the pod's AKS workload identity:
 * azure-identity's WorkloadIdentityCredential exchanges the projected service-account token the
 * webhook mounts (AZURE_FEDERATED_TOKEN_FILE) for an Entra ID token, at the authority the webhook
 * names. Every refusal becomes a start-up error that says which token was refused and why.
 */
public final class WorkloadIdentity {
  /** The scope of an Entra ID token for Azure Storage's data plane. */
  public static final String STORAGE_SCOPE = "https://storage.azure.com/.default";

  static final String CLIENT_ID = "AZURE_CLIENT_ID";
  static final String TENANT_ID = "AZURE_TENANT_ID";
  static final String TOKEN_FILE = "AZURE_FEDERATED_TOKEN_FILE";
  static final String AUTHORITY_HOST = "AZURE_AUTHORITY_HOST";
  private static final String PUBLIC_CLOUD = "https://login.microsoftonline.com/";

  private final String clientId;
  private final String tenantId;
  private final Path tokenFile;
  private final String authorityHost;
  private WorkloadIdentityCredential credential;

  private WorkloadIdentity(String clientId, String tenantId, Path tokenFile, String authorityHost) {
    this.clientId = clientId;
    this.tenantId = tenantId;
    this.tokenFile = tokenFile;
    this.authorityHost = authorityHost;
  }

  /**
   * From the variables the AKS workload identity webhook injects; any of them missing is a
   * configuration error that says what the webhook needs.
   */
  public static WorkloadIdentity fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, "spec.model.credential.type");
  }

  /** The same, for the field that asked for workload identity ({@code field} in the message). */
  public static WorkloadIdentity fromEnvironment(Map<String, String> env, String field) {
    List<String> missing = new ArrayList<>();
    for (String name : List.of(CLIENT_ID, TENANT_ID, TOKEN_FILE)) {
      if (env.getOrDefault(name, "").isBlank()) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          field
              + " WorkloadIdentity: "
              + String.join(", ", missing)
              + " not set. The AKS workload identity webhook sets them in pods labelled"
              + " azure.workload.identity/use=true (the operator adds it) whose ServiceAccount"
              + " (spec.pod.serviceAccountName) is annotated azure.workload.identity/client-id;"
              + " is the webhook installed (the cluster's --enable-workload-identity) and the"
              + " ServiceAccount annotated?");
    }
    String authority = env.getOrDefault(AUTHORITY_HOST, "");
    return new WorkloadIdentity(
        env.get(CLIENT_ID).trim(),
        env.get(TENANT_ID).trim(),
        Path.of(env.get(TOKEN_FILE).trim()),
        authority.isBlank() ? PUBLIC_CLOUD : authority.trim());
  }

  /** A token for Azure Storage; azure-identity keeps it until shortly before it expires. */
  public StorageToken storageToken() throws ModelUnavailableException {
    if (!Files.isReadable(tokenFile)) {
      throw new ModelUnavailableException(
          "workload identity: the federated token file %s (%s) cannot be read; the webhook"
                  .formatted(tokenFile, TOKEN_FILE)
              + " projects it into pods it admits with azure.workload.identity/use=true");
    }
    AccessToken token;
    try {
      token = credential().getTokenSync(new TokenRequestContext().addScopes(STORAGE_SCOPE));
    } catch (RuntimeException e) {
      throw new ModelUnavailableException(
          "workload identity: Entra ID at %s refused a token for Azure Storage to client %s of"
                  .formatted(authorityHost, clientId)
              + " tenant %s, exchanging the federated token in %s (%s): %s"
                  .formatted(tenantId, tokenFile, federatedTokenClaims(), rootMessage(e)));
    }
    if (token == null || token.getToken() == null || token.getToken().isBlank()) {
      throw new ModelUnavailableException(
          "workload identity: Entra ID at %s answered with no token".formatted(authorityHost));
    }
    return new StorageToken(token.getToken(), TokenClaims.of(token.getToken()));
  }

  private String federatedTokenClaims() {
    try {
      return "a token " + TokenClaims.of(Files.readString(tokenFile).trim()).describe();
    } catch (Exception e) {
      return "unreadable: " + e.getMessage();
    }
  }

  /** The credential itself, for clients that ask for their own scope (Blob Storage's SDK). */
  public synchronized WorkloadIdentityCredential credential() {
    if (credential == null) {
      credential =
          new WorkloadIdentityCredentialBuilder()
              .clientId(clientId)
              .tenantId(tenantId)
              .tokenFilePath(tokenFile.toString())
              .authorityHost(authorityHost)
              // The authority comes from the webhook, not from a caller: no need to ask
              // login.microsoftonline.com whether it is a known one (which a private cloud's is
              // not).
              .disableInstanceDiscovery()
              .httpClient(
                  new JdkHttpClientBuilder()
                      .connectionTimeout(Duration.ofSeconds(30))
                      .responseTimeout(Duration.ofSeconds(60))
                      .build())
              .maxRetry(2)
              .build();
    }
    return credential;
  }

  /** The innermost cause's message (MSAL's, with Entra ID's AADSTS code), on one line. */
  private static String rootMessage(Throwable e) {
    Throwable root = e;
    for (int depth = 0; depth < 10 && root.getCause() != null; depth++) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  @Override
  public String toString() {
    return "workload identity (client " + clientId + ", tenant " + tenantId + ")";
  }
}
