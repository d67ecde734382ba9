package io.mlws.scorer.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The settings file wins over the environment, is reloaded when it changes, and a bad one is
 * ignored.
 */
class SettingsFileTest {
  static final RuntimeSettings FROM_ENV =
      new RuntimeSettings("m", "1", "svc", "ns", false, 100, 8192, Set.of());

  @TempDir Path dir;

  @Test
  void fileValuesWinAndMissingOnesComeFromTheEnvironment() throws Exception {
    Path file =
        write(
            "{\"model\": {\"name\": \"iris\"}, \"dataCollection\": {\"enabled\": true, \"samplingPercentage\": 25}}");

    try (SettingsFile settings = SettingsFile.watch(file, FROM_ENV, Duration.ofMillis(50))) {
      assertThat(settings.get())
          .isEqualTo(new RuntimeSettings("iris", "1", "svc", "ns", true, 25, 8192, Set.of()));
    }
  }

  @Test
  void aFractionalSamplingPercentageIsKeptAsWritten() throws Exception {
    Path file = write("{\"dataCollection\": {\"enabled\": true, \"samplingPercentage\": 12.5}}");

    try (SettingsFile settings = SettingsFile.watch(file, FROM_ENV, Duration.ofMillis(50))) {
      assertThat(settings.get().dataCollectionSamplingPercentage()).isEqualTo(12.5);
    }
  }

  @Test
  void reloadsWhenTheFileChangesAndKeepsTheLastGoodOnBadContent() throws Exception {
    Path file = write("{\"dataCollection\": {\"enabled\": false}}");
    Logger logger = (Logger) LoggerFactory.getLogger(SettingsFile.class);
    ListAppender<ILoggingEvent> refusals = new ListAppender<>();
    refusals.start();
    logger.addAppender(refusals);
    try (SettingsFile settings = SettingsFile.watch(file, FROM_ENV, Duration.ofMillis(50))) {
      assertThat(settings.applied())
          .isEqualTo(
              new AppliedSettings(
                  AppliedSettings.digest("{\"dataCollection\": {\"enabled\": false}}"),
                  Optional.empty()));
      // Kubernetes swaps the ConfigMap's content behind a symlink; a rewrite is the same to us.
      String good =
          "{\"dataCollection\": {\"enabled\": true, \"redactFields\": [\"ssn\"], \"maxPayloadChars\": 100}}";
      write(good);
      await().atMost(Duration.ofSeconds(5)).until(() -> settings.get().dataCollectionEnabled());
      assertThat(settings.get().redactFields()).containsExactly("ssn");
      assertThat(settings.get().maxPayloadChars()).isEqualTo(100);
      assertThat(settings.applied().digest())
          .as("the digest is the applied file's, as the operator computes it from its ConfigMap")
          .isEqualTo(AppliedSettings.digest(good))
          .matches("sha256:[0-9a-f]{64}");
      assertThat(settings.applied().refused()).isEmpty();

      write("{\"dataCollection\": {\"samplingPercentage\": 250}}");
      awaitRefusals(refusals, 1);
      assertThat(settings.get().dataCollectionEnabled())
          .as("a refused file changes nothing")
          .isTrue();
      assertThat(settings.applied().digest()).isEqualTo(AppliedSettings.digest(good));
      assertThat(settings.applied().refused())
          .as("the operator is told why the newest file is not in force")
          .hasValue("dataCollection.samplingPercentage must be from 0 to 100, got 250.0");
      write("{not json");
      awaitRefusals(refusals, 2);
      assertThat(settings.get().dataCollectionEnabled()).isTrue();
    } finally {
      logger.detachAppender(refusals);
    }
  }

  /** Waits until the poller has read and refused {@code count} bad files (it logs each refusal). */
  private static void awaitRefusals(ListAppender<ILoggingEvent> refusals, int count) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              synchronized (refusals) {
                return refusals.list.stream()
                        .filter(e -> e.getFormattedMessage().contains("not applied"))
                        .count()
                    >= count;
              }
            });
  }

  @Test
  void anUnusableFileAtStartIsAnError() throws Exception {
    Path file = write("{\"dataCollection\": {\"maxPayloadChars\": 5}}");

    assertThatThrownBy(() -> SettingsFile.watch(file, FROM_ENV, Duration.ofMillis(50)))
        .hasMessageContaining("maxPayloadChars must be from 16 to 8192");
  }

  private Path write(String json) throws Exception {
    Path file = dir.resolve("settings.json");
    Path temp = dir.resolve("settings.json.tmp");
    Files.writeString(temp, json);
    Files.move(
        temp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return file;
  }
}
