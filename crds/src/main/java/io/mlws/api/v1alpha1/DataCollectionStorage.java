package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A Blob Storage container that collected inputs and outputs are also written to, as JSON lines in
 * hourly folders, where data scientists read them for retraining (as Azure ML's data collector
 * writes them).
 */
public class DataCollectionStorage {
  @Required
  @Size(max = 2048)
  @Pattern("^https://[^\\s?#]+[^\\s?#/]/?$")
  @JsonPropertyDescription(
      "The container's URL, e.g. https://<account>.blob.core.windows.net/<container>; https"
          + " only, without a query (a SAS goes in credential.secretRef). Blobs are written under"
          + " <service>/<inputs|outputs>/yyyy/MM/dd/HH/<pod>.jsonl (UTC).")
  private String containerUrl;

  @Required
  @JsonPropertyDescription("How the scorer authenticates to the container.")
  private StorageCredential credential;

  @Size(max = SpecDefaults.QUANTITY_LENGTH)
  @Pattern(SpecDefaults.QUANTITY_PATTERN)
  @ValidationRule(
      value =
          "!isQuantity(self) || quantity(self).compareTo(quantity('"
              + SpecDefaults.COLLECT_BUFFER_SIZE_MIN
              + "')) >= 0",
      message = "bufferSizeLimit must be at least " + SpecDefaults.COLLECT_BUFFER_SIZE_MIN)
  @Default(SpecDefaults.COLLECT_BUFFER_SIZE_LIMIT)
  @JsonPropertyDescription(
      "Size limit of the pod's volume that holds collected records until they are written, and"
          + " through a storage outage; once 90% of it is used, further records are dropped and"
          + " counted (mlws_data_collection_storage_records_total{outcome=\"dropped\"}). Defaults"
          + " to "
          + SpecDefaults.COLLECT_BUFFER_SIZE_LIMIT
          + ".")
  private String bufferSizeLimit;

  public String getContainerUrl() {
    return containerUrl;
  }

  public void setContainerUrl(String containerUrl) {
    this.containerUrl = containerUrl;
  }

  public StorageCredential getCredential() {
    return credential;
  }

  public void setCredential(StorageCredential credential) {
    this.credential = credential;
  }

  public String getBufferSizeLimit() {
    return bufferSizeLimit;
  }

  public void setBufferSizeLimit(String bufferSizeLimit) {
    this.bufferSizeLimit = bufferSizeLimit;
  }
}
