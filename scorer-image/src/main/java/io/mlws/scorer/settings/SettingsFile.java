package io.mlws.scorer.settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link RuntimeSettings} in step with the settings file. Kubernetes updates a mounted
 * ConfigMap by swapping a symlink, which file watchers miss, so the file's content is read again
 * every interval; a file that does not parse leaves the last good settings in force.
 */
public final class SettingsFile implements Supplier<RuntimeSettings>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SettingsFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final RuntimeSettings base;
  private final AtomicReference<RuntimeSettings> current;
  private volatile AppliedSettings applied = AppliedSettings.NONE;
  private final ScheduledExecutorService poller;
  private volatile byte[] lastContent = new byte[0];

  private SettingsFile(Path file, RuntimeSettings base) {
    this.file = file;
    this.base = base;
    this.current = new AtomicReference<>(base);
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "mlws-settings");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Reads the file now (failing if it is unusable) and then every {@code interval}. */
  public static SettingsFile watch(Path file, RuntimeSettings base, Duration interval)
      throws IOException {
    SettingsFile settings = new SettingsFile(file, base);
    // Read once: what is applied and what later reads compare with are the same bytes, even when
    // the kubelet swaps the file in between.
    byte[] content = Files.readAllBytes(file);
    settings.current.set(RuntimeSettings.fromFile(JSON.readTree(content), base));
    settings.lastContent = content;
    settings.applied = AppliedSettings.of(content);
    settings.poller.scheduleWithFixedDelay(
        settings::reload, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return settings;
  }

  @Override
  public RuntimeSettings get() {
    return current.get();
  }

  /** Which file's content is in force, for the operator's status (GET /settings). */
  public AppliedSettings applied() {
    return applied;
  }

  private void reload() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      // A read can fail while the kubelet swaps the file; the next poll reads it again.
      LOG.warn("settings file {} not read, keeping the last good settings: {}", file, e.toString());
      return;
    }
    if (Arrays.equals(content, lastContent)) {
      return;
    }
    lastContent = content;
    try {
      RuntimeSettings next = RuntimeSettings.fromFile(JSON.readTree(content), base);
      RuntimeSettings previous = current.getAndSet(next);
      applied = AppliedSettings.of(content);
      LOG.info(
          "settings reloaded from {}: data collection {} at {}% (was {} at {}%)",
          file,
          next.dataCollectionEnabled() ? "on" : "off",
          next.dataCollectionSamplingPercentage(),
          previous.dataCollectionEnabled() ? "on" : "off",
          previous.dataCollectionSamplingPercentage());
    } catch (IOException | RuntimeException e) {
      applied = applied.refusing(oneLine(e));
      LOG.warn(
          "settings file {} not applied, keeping the last good settings: {}", file, oneLine(e));
    }
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ");
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
