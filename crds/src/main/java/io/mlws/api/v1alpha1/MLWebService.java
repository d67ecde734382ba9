package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The resource a platform team applies to run one model as a monitored web service. */
@JsonClassDescription(
    "MLWebService runs one machine-learning model as a web service (a Deployment of scorer pods behind a Service) and makes its Azure Application Insights telemetry and model data collection declarative.")
@Group(MLWebService.GROUP)
@Version(MLWebService.VERSION)
@ShortNames("mlws")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Replicas",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.replicas")
@AdditionalPrinterColumn(
    name = "Ready-Replicas",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.readyReplicas")
@AdditionalPrinterColumn(
    name = "Insights",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.appInsights")
@AdditionalPrinterColumn(
    name = "Data",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.dataCollection")
@AdditionalPrinterColumn(
    name = "Traffic",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.traffic")
@AdditionalPrinterColumn(
    name = "URL",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.url")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
@ValidationRule(
    value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name must be a DNS-1035 label (lower-case letters, digits and '-', starting with"
            + " a letter and ending with a letter or digit): it names the scorer Service")
@ValidationRule(
    value = "size(self.metadata.name) <= 63",
    message =
        "metadata.name must be at most 63 characters: it names the scorer Service and is a label"
            + " value")
@ValidationRule(
    value =
        "!has(self.spec) || !has(self.spec.versions) || self.spec.versions.all(v,"
            + " size(self.metadata.name) + size(v.name) < 63)",
    message =
        "metadata.name and a spec.versions[].name, joined by '-', must be at most 63 characters:"
            + " they name the version's Service")
public class MLWebService extends CustomResource<MLWebServiceSpec, MLWebServiceStatus>
    implements Namespaced {
  public static final String GROUP = "mlws.io";
  public static final String VERSION = "v1alpha1";
}
