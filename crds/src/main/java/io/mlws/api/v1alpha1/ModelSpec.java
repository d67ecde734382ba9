package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the model file is and how it is known in telemetry. */
@ValidationRule(
    value =
        "!self.uri.matches('(?i)[?&](sig|sharedaccesssignature)=') && !self.uri.matches('^[a-z]+://[^/]*@')",
    message =
        "spec.model.uri must not carry a credential (a SAS sig= parameter or user:password@): put"
            + " it in a Secret and name it in spec.model.credential")
@ValidationRule(
    value = "!has(self.credential) || self.uri.startsWith('https://')",
    message = "spec.model.credential is only sent over https://")
public class ModelSpec {
  /** The URI forms the scorer can load; see the field description. */
  public static final String URI_PATTERN =
      "^(https?://[^\\s]+|file:///[^\\s]*[^/\\s]|pvc://[a-z0-9]([-a-z0-9]*[a-z0-9])?/[^\\s]*[^/\\s])$";

  @Required
  @Size(max = 2048)
  @Pattern(URI_PATTERN)
  @JsonPropertyDescription(
      "Location of the model file: https:// or http:// (downloaded by the scorer at start-up and"
          + " verified against sha256), file:///absolute/path inside the scorer image, or"
          + " pvc://<claim>/<path> (the claim is mounted read-only at /models/pvc).")
  private String uri;

  @Default(SpecDefaults.MODEL_FORMAT)
  @JsonPropertyDescription("Format of the model file. Defaults to ONNX.")
  private ModelFormat format;

  @Size(max = 64)
  @Pattern("^[a-fA-F0-9]{64}$")
  @JsonPropertyDescription(
      "Expected SHA-256 of the model file, 64 hex digits. When set, the scorer refuses to serve a"
          + " file that does not match.")
  private String sha256;

  @Size(max = 63)
  @Pattern("^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$")
  @JsonPropertyDescription(
      "Model name shown in telemetry (the Models dimension). Defaults to the resource name.")
  private String name;

  @Size(max = 63)
  @Pattern("^[A-Za-z0-9][-A-Za-z0-9_.+]{0,62}$")
  @Default(SpecDefaults.MODEL_VERSION)
  @JsonPropertyDescription("Model version shown in telemetry. Defaults to 1.")
  private String version;

  @JsonPropertyDescription(
      "Credential for private storage, read by the scorer from a Secret (an Authorization header"
          + " or an Azure Storage SAS token). https:// only.")
  private ModelCredential credential;

  @Min(10)
  @Max(86_400)
  @Default(SpecDefaults.MODEL_DOWNLOAD_TIMEOUT_SECONDS)
  @JsonPropertyDescription(
      "Seconds the scorer may spend downloading an http(s) model, resumptions of a broken"
          + " connection included; the pod's startup probe allows this plus "
          + SpecDefaults.MODEL_LOAD_SECONDS
          + " s to load the model. Defaults to "
          + SpecDefaults.MODEL_DOWNLOAD_TIMEOUT_SECONDS
          + ".")
  private Integer downloadTimeoutSeconds;

  @Size(max = SpecDefaults.QUANTITY_LENGTH)
  @Pattern(SpecDefaults.QUANTITY_PATTERN)
  @Default(SpecDefaults.MODEL_VOLUME_SIZE_LIMIT)
  @JsonPropertyDescription(
      "Size limit of the volume an http(s) model is downloaded to, e.g. 4Gi. The scorer refuses a"
          + " larger model with a reason instead of filling the node's disk. Defaults to "
          + SpecDefaults.MODEL_VOLUME_SIZE_LIMIT
          + " (an ONNX file without external data cannot be larger).")
  private String volumeSizeLimit;

  public Integer getDownloadTimeoutSeconds() {
    return downloadTimeoutSeconds;
  }

  public void setDownloadTimeoutSeconds(Integer downloadTimeoutSeconds) {
    this.downloadTimeoutSeconds = downloadTimeoutSeconds;
  }

  public String getVolumeSizeLimit() {
    return volumeSizeLimit;
  }

  public void setVolumeSizeLimit(String volumeSizeLimit) {
    this.volumeSizeLimit = volumeSizeLimit;
  }

  public ModelCredential getCredential() {
    return credential;
  }

  public void setCredential(ModelCredential credential) {
    this.credential = credential;
  }

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  public ModelFormat getFormat() {
    return format;
  }

  public void setFormat(ModelFormat format) {
    this.format = format;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }
}
