package io.mlws.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The resource a platform team applies to run one model as a monitored web service. */
@Group(MLWebService.GROUP)
@Version(MLWebService.VERSION)
@ShortNames("mlws")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Replicas",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.replicaSummary")
@AdditionalPrinterColumn(
    name = "Insights",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.appInsights")
@AdditionalPrinterColumn(
    name = "Data",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.dataCollection")
@AdditionalPrinterColumn(
    name = "URL",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.url")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class MLWebService extends CustomResource<MLWebServiceSpec, MLWebServiceStatus>
    implements Namespaced {
  public static final String GROUP = "mlws.io";
  public static final String VERSION = "v1alpha1";
}
