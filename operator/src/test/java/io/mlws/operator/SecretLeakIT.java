package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mlws.api.v1alpha1.AppInsightsState;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.OperatorHarness;
import io.mlws.operator.status.StatusConditions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A distinctive connection string in the Secret, a full scenario (telemetry on, off, on, data
 * collection, Secret deleted and recreated, an invalid spec), and afterwards the value appears
 * nowhere but the Secret: not in ConfigMaps, Deployments (only the secretKeyRef), the custom
 * resource, its status, Events, or the operator's logs at DEBUG. (The scorer's side is checked in
 * the scorer's telemetry test.)
 */
class SecretLeakIT {
  static final String KEY = "5ec2e7aa-1eaf-4cc0-9d0e-c0ffee15bad0";
  static final String CONNECTION_STRING =
      "InstrumentationKey=" + KEY + ";IngestionEndpoint=https://leak.invalid/";

  @Test
  void theConnectionStringStaysInItsSecret() throws Exception {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level previous = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    List<ch.qos.logback.core.Appender<ILoggingEvent>> console = new java.util.ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(console::add);
    console.forEach(root::detachAppender);
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    logging.getLogger("io.javaoperatorsdk").setLevel(Level.DEBUG);
    try (OperatorHarness harness =
        new OperatorHarness("secret-leak-it", OperatorConfig.defaults())) {
      runScenario(harness);

      var serialization = harness.client.getKubernetesSerialization();
      List<Object> everythingButSecrets =
          List.of(
              harness.client.configMaps().inAnyNamespace().list(),
              harness.client.apps().deployments().inAnyNamespace().list(),
              harness.client.services().inAnyNamespace().list(),
              harness.client.resources(MLWebService.class).inAnyNamespace().list(),
              harness.client.v1().events().inAnyNamespace().list());
      String base64 =
          Base64.getEncoder().encodeToString(CONNECTION_STRING.getBytes(StandardCharsets.UTF_8));
      for (Object list : everythingButSecrets) {
        String json = serialization.asJson(list);
        assertThat(json).doesNotContain(KEY).doesNotContain(base64);
      }
      assertThat(serialization.asJson(harness.deployment("leak")))
          .as("the Deployment refers to the Secret, by name and key only")
          .contains("\"secretKeyRef\":{\"key\":\"connection-string\",\"name\":\"ai\"");
      List<ILoggingEvent> events;
      synchronized (logs) { // AppenderBase appends under this lock; the operator is still running
        events = List.copyOf(logs.list);
      }
      assertThat(events).as("the scenario was logged").hasSizeGreaterThan(50);
      for (ILoggingEvent event : events) {
        assertThat(event.getFormattedMessage()).doesNotContain(KEY).doesNotContain(base64);
      }
    } finally {
      root.detachAppender(logs);
      console.forEach(root::addAppender);
      root.setLevel(previous);
      logging.getLogger("io.javaoperatorsdk").setLevel(Level.INFO);
    }
  }

  private static void runScenario(OperatorHarness harness) throws Exception {
    harness.createSecret("ai", Map.of("connection-string", CONNECTION_STRING));
    harness.apply(
        MLWebServiceOperatorIT.service(
            "leak",
            "replicas: 2\nappInsights: {enabled: true, connectionStringSecretRef: {name: ai}}"));
    harness.awaitDeployment("leak");
    awaitInsights(harness, AppInsightsState.ENABLED);
    harness.mergePatch("leak", "{\"spec\":{\"appInsights\":{\"enabled\":false}}}");
    awaitInsights(harness, AppInsightsState.DISABLED);
    harness.mergePatch(
        "leak",
        "{\"spec\":{\"appInsights\":{\"enabled\":true},\"dataCollection\":{\"enabled\":true}}}");
    awaitInsights(harness, AppInsightsState.ENABLED);
    harness.client.secrets().inNamespace(harness.ns).withName("ai").delete();
    awaitInsights(harness, AppInsightsState.SECRET_MISSING);
    harness.createSecret("ai", Map.of("connection-string", CONNECTION_STRING));
    awaitInsights(harness, AppInsightsState.ENABLED);
    harness.mergePatch("leak", "{\"spec\":{\"appInsights\":{\"connectionStringSecretRef\":null}}}");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                StatusConditions.isTrue(harness.get("leak").getStatus(), StatusConditions.STALLED));
  }

  private static void awaitInsights(OperatorHarness harness, AppInsightsState state) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                harness.get("leak").getStatus() != null
                    && harness.get("leak").getStatus().getAppInsights() == state);
  }
}
