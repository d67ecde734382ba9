package io.mlws.operator.process;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exits when the Lease is lost while running, so two operators never reconcile at once; but not
 * when we release it ourselves on stop, where JOSDK's own System.exit would deadlock the shutdown
 * hook and the pod would hang until killed.
 */
final class LeadershipLoss {
  private static final Logger LOG = LoggerFactory.getLogger(LeadershipLoss.class);

  private volatile boolean releasing;

  LeaderCallbacks callbacks() {
    return new LeaderCallbacks(() -> LOG.info("leading"), this::stoppedLeading, id -> {});
  }

  /** Called before a deliberate stop: the Lease that goes away next is released, not lost. */
  void releasing() {
    releasing = true;
  }

  private void stoppedLeading() {
    if (releasing || jvmShuttingDown()) {
      LOG.info("released the leader Lease");
      return;
    }
    LOG.error("lost the leader Lease; exiting so that only one operator reconciles");
    System.exit(1);
  }

  private static boolean jvmShuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
