package io.mlws.scorer.storage;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.mlws.scorer.metrics.ScorerMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collected data to Blob Storage: scoring threads hand records over without waiting (a bounded
 * queue in memory); one thread moves them to the spool on the pod's volume, another writes closed
 * segments to append blobs. A storage outage is held on the volume up to its cap and retried; past
 * the cap records are dropped and counted. Each outage is logged once when it starts and once when
 * it ends. On shutdown what is queued is written within the time the pod has left.
 */
public final class StorageSink {
  private static final Logger LOG = LoggerFactory.getLogger(StorageSink.class);

  /** Records waiting in memory for the spool thread: a few seconds of a busy pod's collection. */
  static final long MEMORY_BYTES = 16L << 20;

  static final Duration SPOOL_EVERY = Duration.ofMillis(200);
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration LAST_RETRY = Duration.ofSeconds(30);

  private final StorageDestination destination;
  private final Spool spool;
  private AppendBlobWriter writer;
  private final Deque<CollectedRecord> queue = new ArrayDeque<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Thread spooler;
  private final Thread uploader;
  private final Outage outage = new Outage();
  private volatile boolean closing;
  private boolean volumeFailing;
  private volatile long uploadDeadlineNanos = Long.MAX_VALUE;

  private StorageSink(StorageDestination destination, Spool spool) {
    this.destination = destination;
    this.spool = spool;
    this.spooler = new Thread(this::spoolLoop, "collect-spool");
    this.uploader = new Thread(this::uploadLoop, "collect-upload");
    spooler.setDaemon(true);
    uploader.setDaemon(true);
  }

  /** Opens the spool (keeping what an earlier container left) and starts both threads. */
  public static StorageSink start(StorageDestination destination) throws IOException {
    useOwnSdkExecutor();
    Spool spool = Spool.open(destination.bufferDir(), destination.bufferBytes());
    StorageSink sink = new StorageSink(destination, spool);
    ScorerMetrics.collectBufferGauge(spool::usedBytes);
    LOG.info(
        "collected data also goes to {}, through {} on the pod's volume ({} MiB at most{})",
        destination,
        destination.bufferDir(),
        destination.bufferBytes() >> 20,
        spool.usedBytes() > 0
            ? "; " + spool.usedBytes() + " bytes left by an earlier container are written first"
            : "");
    sink.spooler.start();
    sink.uploader.start();
    return sink;
  }

  /**
   * azure-core's shared executor runs the SDK's asynchronous steps and java.net.http's; its own
   * shutdown hook stops it at SIGTERM, exactly when the last records are to be written, and every
   * call then waits forever. One of ours instead, which nothing stops before the JVM ends.
   */
  private static void useOwnSdkExecutor() {
    com.azure.core.util.SharedExecutorService.getInstance()
        .setExecutorService(
            Executors.newScheduledThreadPool(
                2,
                r -> {
                  Thread thread = new Thread(r, "collect-sdk");
                  thread.setDaemon(true);
                  return thread;
                }));
  }

  private static BlobContainerClient client(StorageDestination destination) {
    BlobContainerClientBuilder builder =
        new BlobContainerClientBuilder()
            .endpoint(destination.containerUrl())
            .httpClient(
                new JdkHttpClientBuilder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .responseTimeout(AppendBlobWriter.TIMEOUT)
                    .build())
            // One try per call: the sink retries on its own schedule, and decides what a lost
            // answer meant.
            .retryOptions(
                new RequestRetryOptions(
                    RetryPolicyType.FIXED, 1, AppendBlobWriter.TIMEOUT, null, null, null));
    destination.sasToken().ifPresent(builder::sasToken);
    destination.workloadIdentity().ifPresent(wi -> builder.credential(wi.credential()));
    return builder.buildClient();
  }

  /** From a scoring thread: never blocks, never throws; a record that does not fit is counted. */
  public void offer(CollectedRecord record) {
    if (closing || queuedBytes.get() + record.size() > MEMORY_BYTES) {
      ScorerMetrics.collectStorage("dropped");
      outage.dropped();
      return;
    }
    synchronized (queue) {
      queue.addLast(record);
    }
    queuedBytes.addAndGet(record.size());
  }

  private void spoolLoop() {
    while (true) {
      boolean last = closing;
      try {
        drainToSpool();
        if (last) {
          spool.close();
          return;
        }
        spool.closeIfOlderThan(destination.flushInterval());
        Thread.sleep(SPOOL_EVERY.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!volumeFailing) {
          LOG.warn("collected data: the pod's volume refused a write: {}", oneLine(e));
        }
        volumeFailing = true;
        pause(FIRST_RETRY);
      }
    }
  }

  /** Moves every queued record to the spool; one the volume refuses is dropped and counted. */
  private void drainToSpool() throws IOException {
    while (true) {
      CollectedRecord record;
      synchronized (queue) {
        record = queue.pollFirst();
      }
      if (record == null) {
        return;
      }
      queuedBytes.addAndGet(-record.size());
      boolean appended;
      try {
        appended = spool.append(record.entries());
      } catch (IOException e) {
        ScorerMetrics.collectStorage("dropped");
        outage.dropped();
        throw e;
      }
      volumeFailing = false;
      if (!appended) {
        ScorerMetrics.collectStorage("dropped");
        outage.bufferFull(spool.usedBytes(), spool.capBytes());
      }
    }
  }

  private void uploadLoop() {
    Duration retry = FIRST_RETRY;
    while (System.nanoTime() < uploadDeadlineNanos) {
      try {
        var segments = spool.closedSegments();
        if (segments.isEmpty()) {
          if (closing && !spooler.isAlive()) {
            return;
          }
          Thread.sleep(SPOOL_EVERY.toMillis());
          continue;
        }
        if (writer == null) {
          // Built with the first records to write, not at start: loading the Storage SDK takes
          // half a second of CPU that the scorer's start need not share.
          writer = new AppendBlobWriter(client(destination));
        }
        for (var segment : segments) {
          int written = writer.write(segment);
          spool.delete(segment);
          ScorerMetrics.collectStorage("written", written);
          outage.written(written);
        }
        retry = FIRST_RETRY;
      } catch (InterruptedException e) {
        return;
      } catch (Exception | LinkageError | AssertionError e) {
        outage.failed(destination.containerUrl(), oneLine(e), spool.capBytes());
        pause(retry);
        retry =
            retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
      }
    }
  }

  /**
   * On shutdown, once no request is left: what is queued goes to the spool and every closed segment
   * is written, for at most {@code budget}; what is still on the volume then is logged.
   */
  public void close(Duration budget) {
    uploadDeadlineNanos = System.nanoTime() + budget.toNanos();
    closing = true;
    try {
      spooler.join(budget.toMillis());
      uploader.join(Math.max(1, (uploadDeadlineNanos - System.nanoTime()) / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long left = spool.usedBytes();
    if (left > 0) {
      LOG.warn(
          "collected data: {} bytes of records not written to {} within the {} s the pod had"
              + " left; they are lost with the pod's volume",
          left,
          destination.containerUrl(),
          budget.toSeconds());
    } else {
      LOG.info("collected data: every record written to {}", destination.containerUrl());
    }
  }

  /**
   * Waits before the next try, but no longer once the scorer is stopping: a backoff of up to 30 s
   * must not use up the time the pod has left when storage may answer by now.
   */
  private void pause(Duration duration) {
    boolean wasClosing = closing;
    long end = System.nanoTime() + duration.toNanos();
    try {
      while (System.nanoTime() < end && closing == wasClosing) {
        Thread.sleep(Math.min(SPOOL_EVERY.toMillis(), duration.toMillis()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An exception's message on one line, a SAS signature masked in case a URL is in it. */
  static String oneLine(Throwable e) {
    String message =
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    if (e instanceof BlobStorageException storage) {
      // Storage's own words: its error code and the first line of its message.
      message =
          "HTTP %d %s: %s"
              .formatted(
                  storage.getStatusCode(),
                  storage.getErrorCode(),
                  String.valueOf(storage.getServiceMessage()));
    }
    int firstLine = message.indexOf('\n');
    String line = firstLine < 0 ? message : message.substring(0, firstLine);
    return line.replaceAll("(?i)sig=[^&\\s\"']*", "sig=REDACTED").trim();
  }
}
