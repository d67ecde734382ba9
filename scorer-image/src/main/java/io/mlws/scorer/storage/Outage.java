package io.mlws.scorer.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pod's log says about storage being unreachable: one line when an outage starts, one when
 * the buffer fills and records start being dropped, one when storage answers again with what was
 * written and dropped meanwhile, never one per retry.
 */
final class Outage {
  private static final Logger LOG = LoggerFactory.getLogger(StorageSink.class);

  private long startedNanos;
  private boolean failing;
  private boolean dropping;
  private long droppedSince;

  synchronized void failed(String container, String cause, long capBytes) {
    if (failing) {
      return;
    }
    failing = true;
    startedNanos = System.nanoTime();
    droppedSince = 0;
    LOG.warn(
        "collected data: cannot write to {}: {}; keeping records on the pod's volume (up to {}"
            + " MiB) and trying again",
        container,
        cause,
        capBytes >> 20);
  }

  synchronized void bufferFull(long usedBytes, long capBytes) {
    droppedSince++;
    if (!dropping) {
      dropping = true;
      LOG.warn(
          "collected data: the pod's buffer is full ({} of {} bytes); dropping records until"
              + " storage takes them (counted in"
              + " mlws_data_collection_storage_records_total{outcome=\"dropped\"})",
          usedBytes,
          capBytes);
    }
  }

  synchronized void dropped() {
    droppedSince++;
  }

  synchronized void written(long records) {
    if (failing) {
      failing = false;
      dropping = false;
      LOG.info(
          "collected data: storage answers again after {} s; writing the buffered records"
              + " ({} dropped meanwhile)",
          (System.nanoTime() - startedNanos) / 1_000_000_000L,
          droppedSince);
    } else if (dropping) {
      dropping = false;
    }
  }
}
