package io.mlws.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlws.devtools.docs.DocFiles;
import io.mlws.operator.harness.Kubectl;
import io.mlws.operator.harness.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed CRD on the real kube-apiserver: it installs (its CEL rules within the server's cost
 * limits), admits every sample users apply, and refuses each kind of nonsense with the server's own
 * schema and CEL validation, as `kubectl apply --dry-run=server` shows a user.
 */
class CrdAdmissionIT {
  static final Path SAMPLES = Path.of("../deploy/samples");
  static LocalCluster cluster;
  static String ns;

  @BeforeAll
  static void installCrd() {
    cluster = LocalCluster.shared();
    ns = cluster.createNamespace("admission-it");
  }

  @Test
  void theCrdIsInstalledAndEstablished() {
    var crd = cluster.crd();
    assertThat(crd.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Established");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(cluster.kubectl("explain", "mlws.spec.model")).contains("uri");
  }

  /** The server publishes our descriptions, Kubernetes' own for the types we embed. */
  @Test
  void kubectlExplainDescribesTheRootAndTheEmbeddedKubernetesTypes() {
    assertThat(explain("mlws")).contains("runs one machine-learning model as a web service");
    assertThat(explain("mlws.spec.pod.affinity.nodeAffinity"))
        .contains("Describes node affinity scheduling rules for the pod.");
    assertThat(explain("mlws.spec.pod.tolerations.effect"))
        .contains("Effect indicates the taint effect to match.");
    assertThat(explain("mlws.status.conditions.observedGeneration"))
        .contains("observedGeneration represents the .metadata.generation");
  }

  static Stream<Path> samples() throws IOException {
    try (Stream<Path> files = Files.list(SAMPLES)) {
      List<Path> resources =
          files
              .filter(f -> f.toString().endsWith(".yaml"))
              .filter(f -> read(f).contains("kind: MLWebService"))
              .sorted()
              .toList();
      assertThat(resources).hasSizeGreaterThanOrEqualTo(4);
      return resources.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  void admitsSample(Path sample) {
    Kubectl.Result result =
        cluster.tryKubectl("apply", "--dry-run=server", "-n", ns, "-f", sample.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("(server dry run)");
  }

  static Stream<Arguments> names() {
    return Stream.of(
        Arguments.of("iris.v2", "metadata.name must be a DNS-1035 label"),
        Arguments.of("2024-iris", "metadata.name must be a DNS-1035 label"),
        Arguments.of("a".repeat(64), "metadata.name must be at most 63 characters"),
        Arguments.of("a".repeat(63), null),
        Arguments.of("iris-v2", null));
  }

  /** The name becomes the Service's (a DNS-1035 label) and a label value (at most 63). */
  @ParameterizedTest
  @MethodSource("names")
  void refusesNamesTheServiceCannotCarry(String name, String message) throws IOException {
    Kubectl.Result result = dryRun(manifest(name, "model: {uri: file:///m.onnx}"));
    if (message == null) {
      assertThat(result.exitCode()).as(result.output()).isZero();
    } else {
      assertThat(result.exitCode()).as("refused: %s", result.output()).isNotZero();
      assertThat(result.output()).contains(message);
    }
  }

  /** Valid settings the schema must not refuse. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "autoscaling: {maxReplicas: 3, targetCPUUtilizationPercentage: 250}",
        "replicas: 0",
        "pod: {serviceAccountName: scorer, imagePullSecrets: [{name: acr}], nodeSelector: {agentpool:"
            + " gpu}, tolerations: [{key: sku, operator: Equal, value: gpu, effect: NoSchedule}],"
            + " env: [{name: OMP_NUM_THREADS, value: '2'}], annotations: {a: b}, labels:"
            + " {azure.workload.identity/use: 'true'}}",
        "resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {memory: 2Gi}}",
        "pod: {preStopPauseSeconds: 15, terminationGracePeriodSeconds: 60}",
        "appInsights: {samplingPercentage: 100}\ndataCollection: {samplingPercentage: '12.5'}",
        "appInsights: {samplingPercentage: '0.001'}\ndataCollection: {samplingPercentage: 0}",
        "pod: {preStopPauseSeconds: 0}",
        "pod: {terminationGracePeriodSeconds: 6}",
        "pod: {priorityClassName: serving, topologySpreadConstraints: [{maxSkew: 1, topologyKey:"
            + " topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}]}",
        "dataCollection: {storage: {containerUrl: 'https://acct.blob.core.windows.net/c',"
            + " credential: {type: WorkloadIdentity}, bufferSizeLimit: 16Mi}}",
        "dataCollection: {storage: {containerUrl: 'https://acct.blob.core.windows.net/c',"
            + " credential: {type: WorkloadIdentity}, bufferSizeLimit: 0.5Gi}}",
        "dataCollection: {storage: {containerUrl: 'https://acct.blob.core.windows.net/c',"
            + " credential: {type: WorkloadIdentity}, bufferSizeLimit: '1e9'}}"
      })
  void admitsValidSettings(String extra) throws IOException {
    Kubectl.Result result =
        dryRun(
            manifest(
                "x",
                "model: {uri: 'https://models.example.com/iris.onnx', credential: {secretRef: {name: s,"
                    + " key: k}, type: SASToken}}\n"
                    + extra));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void admitsAWorkloadIdentityCredentialWithoutASecret() throws IOException {
    Kubectl.Result result =
        dryRun(
            manifest(
                "x",
                "model: {uri: 'https://acct.blob.core.windows.net/m/iris.onnx', credential: {type:"
                    + " WorkloadIdentity}}\npod: {serviceAccountName: model-reader}"));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void admitsCollectedDataStorageWithASasOrWorkloadIdentity() throws IOException {
    for (String credential :
        List.of(
            "{type: SASToken, secretRef: {name: sas, key: sas}}",
            "{type: SasToken, secretRef: {name: sas, key: sas}}", // the deprecated spelling
            "{type: WorkloadIdentity}")) {
      Kubectl.Result result =
          dryRun(
              manifest(
                  "x",
                  "model: {uri: file:///m.onnx}\ndataCollection: {enabled: true, storage:"
                      + " {containerUrl: 'https://acct.blob.core.windows.net/collected',"
                      + " credential: "
                      + credential
                      + ", bufferSizeLimit: 512Mi}}"));
      assertThat(result.exitCode()).as(result.output()).isZero();
    }
  }

  @Test
  void admitsABigModelsBudgetAndVolume() throws IOException {
    Kubectl.Result result =
        dryRun(
            manifest(
                "big",
                "model: {uri: 'https://models.example.com/big.onnx', downloadTimeoutSeconds: 3600,"
                    + " volumeSizeLimit: 6Gi}"));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of(
            "model: {uri: file:///m.onnx}\nreplicas: 2\nautoscaling: {maxReplicas: 3}",
            "set either spec.replicas or spec.autoscaling, not both"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nautoscaling: {minReplicas: 4, maxReplicas: 3}",
            "autoscaling.minReplicas must not exceed autoscaling.maxReplicas"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nautoscaling: {minReplicas: 2}",
            "spec.autoscaling.maxReplicas: Required value"),
        Arguments.of("replicas: 1", "spec.model: Required value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nnetworkPolicy: {from: []}",
            "spec.networkPolicy.from: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nnetworkPolicy: {from: [{}]}",
            "each networkPolicy.from entry names podSelector, namespaceSelector or ipBlock"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nnetworkPolicy: {from: [{ipBlock: {cidr: 10.0.0.0/8},"
                + " podSelector: {}}]}",
            "a networkPolicy.from entry with ipBlock cannot also have a pod or namespace selector"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nnetworkPolicy: {from: [{ipBlock: {except: [10.1.0.0/16]}}]}",
            "networkPolicy.from[].ipBlock.cidr is required"),
        Arguments.of("model: {format: ONNX}", "spec.model.uri: Required value"),
        Arguments.of(
            "model: {uri: file:///m.onnx, format: onnx}",
            "spec.model.format: Unsupported value: \"onnx\""),
        Arguments.of(
            "model: {uri: 'https://models.example.com/iris.onnx', credential: {secretRef: {name:"
                + " s}}}",
            "secretRef.key is required"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {samplingPercentage: '12.3456'}",
            "spec.appInsights.samplingPercentage: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {samplingPercentage: 12.5}",
            "spec.appInsights.samplingPercentage: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {samplingPercentage: 'half'}",
            "spec.dataCollection.samplingPercentage: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {redactFields: [ssn, ssn]}",
            "spec.dataCollection.redactFields[1]: Duplicate value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\npod: {env: [{name: A, value: '1'}, {name: A, value: '2'}]}",
            "spec.pod.env[1]: Duplicate value"),
        Arguments.of("model: {uri: 's3://bucket/m.onnx'}", "spec.model.uri: Invalid value"),
        Arguments.of("model: {uri: 'file://relative/m.onnx'}", "spec.model.uri: Invalid value"),
        Arguments.of("model: {uri: 'pvc://Bad_Claim/m.onnx'}", "spec.model.uri: Invalid value"),
        Arguments.of("model: {uri: 'pvc://claim/'}", "spec.model.uri: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx, sha256: abc}", "spec.model.sha256: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx, format: pytorch}",
            "spec.model.format: Unsupported value: \"pytorch\""),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nreplicas: -1",
            "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {samplingPercentage: 150}",
            "spec.appInsights.samplingPercentage: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {samplingPercentage: -1}",
            "must be an integer from 0 to 100, or a decimal string"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {connectionStringSecretRef: {key: k}}",
            "spec.appInsights.connectionStringSecretRef.name: Required value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {connectionStringSecretRef: {name: Not_A_Name}}",
            "spec.appInsights.connectionStringSecretRef.name: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {maxPayloadChars: 10}",
            "spec.dataCollection.maxPayloadChars in body should be greater than or equal to"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {maxPayloadChars: 100000}",
            "spec.dataCollection.maxPayloadChars in body should be less than or equal to"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {samplingPercentage: 101}",
            "spec.dataCollection.samplingPercentage: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {redactFields: ['']}",
            "redactFields[0] in body should be at least 1 chars long"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {redactFields: ["
                + String.join(
                    ", ", java.util.stream.IntStream.range(0, 65).mapToObj(i -> "f" + i).toList())
                + "]}",
            "spec.dataCollection.redactFields: Too many: 65: must have at most 64 items"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {redactFields: ['"
                + "f".repeat(257)
                + "']}",
            "may not be more than 256 bytes"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nresources: {claims: [{name: gpu}]}",
            "unknown field \"spec.resources.claims\""),
        Arguments.of(
            "model: {uri: file:///m.onnx}\npod: {env: [{name: MLWS_MODEL_URI, value: x}]}",
            "env names starting with MLWS_ or APPLICATIONINSIGHTS_, and JAVA_TOOL_OPTIONS,"
                + " JDK_JAVA_OPTIONS and _JAVA_OPTIONS (the JVM's flags, the agent among them), are"
                + " set by the operator"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\npod: {env: [{name: _JAVA_OPTIONS, value:"
                + " '-javaagent:/tmp/a.jar'}]}",
            "cannot be overridden"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\npod: {env: [{name: JAVA_TOOL_OPTIONS, value: x}]}",
            "cannot be overridden"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\npod: {env: [{name: JDK_JAVA_OPTIONS, value:"
                + " '-javaagent:/tmp/a.jar'}]}",
            "cannot be overridden"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\npod: {preStopPauseSeconds: 30,"
                + " terminationGracePeriodSeconds: 30}",
            "terminationGracePeriodSeconds must exceed preStopPauseSeconds"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\npod: {terminationGracePeriodSeconds: 5}",
            "terminationGracePeriodSeconds must exceed preStopPauseSeconds"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nresources: {limits: {memory: 2GB}}",
            "resource amounts must be Kubernetes quantities"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nresources: {requests: {cpu: lots}}",
            "resource amounts must be Kubernetes quantities"),
        Arguments.of(
            "model: {uri: file:///m.onnx, volumeSizeLimit: two-gigs}",
            "spec.model.volumeSizeLimit: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx, volumeSizeLimit: '-1'}",
            "spec.model.volumeSizeLimit: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx, volumeSizeLimit: 1.2.3}",
            "spec.model.volumeSizeLimit: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {storage: {containerUrl:"
                + " 'https://acct.blob.core.windows.net/c', credential: {type: WorkloadIdentity},"
                + " bufferSizeLimit: 8Mi}}",
            "bufferSizeLimit must be at least 16Mi"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {storage: {containerUrl:"
                + " 'https://acct.blob.core.windows.net/c', credential: {type: WorkloadIdentity},"
                + " bufferSizeLimit: 1Gb}}",
            "spec.dataCollection.storage.bufferSizeLimit: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx, downloadTimeoutSeconds: 5}",
            "spec.model.downloadTimeoutSeconds: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\npod: {priorityClassName: Serving_Tier}",
            "spec.pod.priorityClassName: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\npod: {preStopPauseSeconds: 301}",
            "spec.pod.preStopPauseSeconds: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\npod: {env: [{name: A, value: x, valueFrom: {fieldRef:"
                + " {fieldPath: metadata.name}}}]}",
            "set either value or valueFrom, not both"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\npod: {labels: {app.kubernetes.io/instance: other}}",
            "pod labels under app.kubernetes.io/ are set by the operator"),
        Arguments.of(
            "model: {uri: 'https://acct.blob.core.windows.net/m/iris.onnx?sv=2024&sig=abc'}",
            "spec.model.uri must not carry a credential"),
        Arguments.of(
            "model: {uri: 'https://acct.blob.core.windows.net/m/iris.onnx?sv=2024&SIG=abc'}",
            "spec.model.uri must not carry a credential"),
        Arguments.of(
            "model: {uri: 'https://acct.blob.core.windows.net/m/iris.onnx?Sig=abc'}",
            "spec.model.uri must not carry a credential"),
        Arguments.of(
            "model: {uri: 'https://user:pass@models.example.com/iris.onnx'}",
            "spec.model.uri must not carry a credential"),
        Arguments.of(
            "model: {uri: 'http://models.example.com/iris.onnx', credential: {secretRef: {name: s,"
                + " key: k}}}",
            "spec.model.credential is only sent over https://"),
        Arguments.of(
            "model: {uri: 'https://acct.blob.core.windows.net/m/iris.onnx', credential: {type:"
                + " WorkloadIdentity, secretRef: {name: s, key: k}}}",
            "WorkloadIdentity takes no secretRef"),
        Arguments.of(
            "model: {uri: 'https://acct.blob.core.windows.net/m/iris.onnx', credential: {type:"
                + " SASToken}}",
            "secretRef.key is required"),
        Arguments.of(
            "model: {uri: 'http://acct.blob.core.windows.net/m/iris.onnx', credential: {type:"
                + " WorkloadIdentity}}",
            "spec.model.credential is only sent over https://"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {storage: {containerUrl:"
                + " 'http://acct.blob.core.windows.net/c', credential: {type: WorkloadIdentity}}}",
            "spec.dataCollection.storage.containerUrl in body should match"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {storage: {containerUrl:"
                + " 'https://acct.blob.core.windows.net/c?sv=1&sig=x', credential: {type:"
                + " WorkloadIdentity}}}",
            "spec.dataCollection.storage.containerUrl in body should match"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {storage: {containerUrl:"
                + " 'https://acct.blob.core.windows.net/c', credential: {type: SASToken}}}",
            "SASToken needs secretRef with its key"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {storage: {containerUrl:"
                + " 'https://acct.blob.core.windows.net/c', credential: {type: SasToken}}}",
            "SASToken needs secretRef with its key"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {storage: {containerUrl:"
                + " 'https://acct.blob.core.windows.net/c', credential: {type: WorkloadIdentity,"
                + " secretRef: {name: s, key: k}}}}",
            "WorkloadIdentity takes no secretRef"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {storage: {containerUrl:"
                + " 'https://acct.blob.core.windows.net/c'}}",
            "spec.dataCollection.storage.credential: Required value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappinsights: {enabled: true}",
            "unknown field \"spec.appinsights\""),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nautoscaling: {maxReplicas: 3, "
                + "targetCPUUtilizationPercentage: 0}",
            "spec.autoscaling.targetCPUUtilizationPercentage in body should be greater than or equal to 1"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nprobes: {liveness: {successThreshold: 2}}",
            "probes.liveness.successThreshold must be 1"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nprobes: {readiness: {periodSeconds: 0}}",
            "spec.probes.readiness.periodSeconds in body should be greater than or equal to 1"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nscoring: {timeoutMilliseconds: 0}",
            "spec.scoring.timeoutMilliseconds in body should be greater than or equal to 1"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nscoring: {maxRequestBytes: 100}",
            "spec.scoring.maxRequestBytes in body should be greater than or equal to 1024"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nscoring: {maxRows: 1000001}",
            "spec.scoring.maxRows in body should be less than or equal to 1000000"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nauth: {mode: EntraId}",
            "entraId is set with mode EntraId, and only then"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nauth: {mode: Keys, entraId: " + ENTRA_ID + "}",
            "entraId is set with mode EntraId, and only then"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nauth: {mode: EntraId, entraId: {tenantId: t}}",
            "spec.auth.entraId.audience: Required value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nauth: {mode: EntraId, entraId: {tenantId: t,"
                + " audience: a, authorityHost: \"http://login.example/\"}}",
            "spec.auth.entraId.authorityHost in body should match"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nauth: {mode: EntraId, entraId: {tenantId: t,"
                + " audience: a, allowedRoles: [\"Score,Admin\"]}}",
            "spec.auth.entraId.allowedRoles[0] in body should match"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nversions: ["
                + version("a", 60, 0)
                + ", "
                + version("b", 50, 0)
                + "]",
            "the weights of spec.versions must not add up to more than 100"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nversions: [" + version("a", 10, 10) + "]",
            "a version with mirrorPercentage answers no caller"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nversions: [" + version("default", 10, 0) + "]",
            "must not be 'default'"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nversions: ["
                + version("a", 10, 0)
                + ", "
                + version("a", 20, 0)
                + "]",
            "Duplicate value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nversions: [" + version("a".repeat(21), 10, 0) + "]",
            "spec.versions[0].name: Too long"));
  }

  static String version(String name, int weight, int mirror) {
    return "{name: %s, weight: %d, mirrorPercentage: %d, model: {uri: file:///m2.onnx}}"
        .formatted(name, weight, mirror);
  }

  @Test
  void acceptsModelVersions() throws IOException {
    Kubectl.Result result =
        dryRun(
            manifest(
                "x",
                "model: {uri: file:///m.onnx}\nversions: ["
                    + version("canary", 20, 0)
                    + ", "
                    + version("shadow", 0, 50)
                    + "]"));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  static final String ENTRA_ID =
      "{tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47, audience: \"api://mlws-iris\","
          + " allowedClientApplications: [0a6b2c4d-0000-4000-8000-00000000c11e],"
          + " allowedRoles: [Score]}";

  @Test
  void acceptsEntraIdCallers() throws IOException {
    Kubectl.Result result =
        dryRun(
            manifest(
                "x",
                "model: {uri: file:///m.onnx}\nauth: {mode: EntraId, entraId: " + ENTRA_ID + "}"));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  /**
   * What FromAzureMlV1 writes from the shapes Azure ML v1 prints (docs/migrate-from-azureml-v1.md)
   * is accepted as it is, its model URI placeholder included.
   */
  @ParameterizedTest
  @ValueSource(strings = {"service-show.json", "deploy-config.json"})
  void servicesConvertedFromAzureMlV1AreAccepted(String fixture) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode v1 =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Path.of("src/test/resources/azureml-v1").resolve(fixture).toFile());
    v1.put("name", "converted");
    v1.remove("namespace");
    String manifest = io.mlws.operator.migrate.FromAzureMlV1.manifest(v1);
    Kubectl.Result result = dryRun(manifest);
    assertThat(result.exitCode()).as("%s\n%s", manifest, result.output()).isZero();
  }

  /**
   * The MLWebService of docs/bring-your-own-model.md, filled in as its envsubst does (in this
   * test's namespace instead of {@code ml}); BringYourOwnModelIT serves what it names.
   */
  @Test
  void theBringYourOwnModelPagesServiceIsAccepted() throws IOException {
    String manifest =
        DocFiles.withVariables(
                DocFiles.of(Path.of("../docs/bring-your-own-model.md")).get("churn.yaml"),
                Map.of(
                    "ACCOUNT_URL",
                    "https://mlwsmodels.blob.core.windows.net",
                    "MODEL_SHA256",
                    "0123456789abcdef".repeat(4)))
            .replace("  namespace: ml\n", "");
    Kubectl.Result result = dryRun(manifest);
    assertThat(result.exitCode()).as("%s\n%s", manifest, result.output()).isZero();
  }

  @ParameterizedTest
  @MethodSource("invalidSpecs")
  void refusesInvalidSpec(String specYaml, String expectedInError) throws IOException {
    Kubectl.Result result = dryRun(manifest("x", specYaml));

    assertThat(result.exitCode()).as("refused: %s", result.output()).isNotZero();
    assertThat(result.output()).contains(expectedInError);
  }

  /** What `kubectl explain` prints, its line wrapping undone. */
  private static String explain(String path) {
    return cluster.kubectl("explain", path).replaceAll("\\s+", " ");
  }

  /** An MLWebService with this name and spec (YAML, one or more lines). */
  static Stream<Arguments> conditions() {
    String valid =
        "{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Available\",\"message\":\"1/1"
            + " replicas ready\",\"lastTransitionTime\":\"2026-12-07T10:00:00Z\"}";
    return Stream.of(
        Arguments.of(valid, null),
        Arguments.of(valid.replace("\"True\"", "\"Maybe\""), "Unsupported value: \"Maybe\""),
        Arguments.of(
            valid.replace("\"reason\":\"Available\",", ""),
            "status.conditions[0].reason: Required value"),
        Arguments.of(
            valid.replace("Available", "not camel case"),
            "status.conditions[0].reason: Invalid value"),
        Arguments.of(
            valid.replace("2026-12-07T10:00:00Z", "yesterday"),
            "status.conditions[0].lastTransitionTime: Invalid value"));
  }

  /** Status conditions are shaped as metav1.Condition, as kstatus and Argo CD expect them. */
  @ParameterizedTest
  @MethodSource("conditions")
  void statusConditionsAreMetav1Conditions(String condition, String message) throws IOException {
    String name = "conditions";
    if (cluster.tryKubectl("get", "-n", ns, "mlws", name).exitCode() != 0) {
      Path file = Files.createTempFile("mlws-", ".yaml");
      Files.writeString(file, manifest(name, "model: {uri: file:///m.onnx}"));
      cluster.kubectl("create", "-n", ns, "-f", file.toString());
      Files.delete(file);
    }
    Kubectl.Result result =
        cluster.tryKubectl(
            "patch",
            "-n",
            ns,
            "mlws",
            name,
            "--subresource=status",
            "--type=merge",
            "--dry-run=server",
            "-p",
            "{\"status\":{\"conditions\":[" + condition + "]}}");
    if (message == null) {
      assertThat(result.exitCode()).as(result.output()).isZero();
    } else {
      assertThat(result.exitCode()).as("refused: %s", result.output()).isNotZero();
      assertThat(result.output()).contains(message);
    }
  }

  private static String manifest(String name, String specYaml) {
    return "apiVersion: mlws.io/v1alpha1\nkind: MLWebService\nmetadata: {name: '%s'}\nspec:\n  %s\n"
        .formatted(name, specYaml.replace("\n", "\n  "));
  }

  /** What `kubectl apply --dry-run=server` says of this manifest. */
  private static Kubectl.Result dryRun(String manifest) throws IOException {
    Path file = Files.createTempFile("mlws-", ".yaml");
    Files.writeString(file, manifest);
    try {
      return cluster.tryKubectl("apply", "--dry-run=server", "-n", ns, "-f", file.toString());
    } finally {
      Files.delete(file);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
