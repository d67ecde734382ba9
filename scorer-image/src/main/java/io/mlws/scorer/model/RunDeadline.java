package io.mlws.scorer.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of one model run: when it passes, ONNX Runtime is told to stop the run (its run
 * options' terminate flag, checked before each node), so that a model that hangs frees its scoring
 * slot. Telling and closing hold one lock: the flag is never set on options already freed.
 */
final class RunDeadline implements AutoCloseable {
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private final OrtSession.RunOptions options;
  private final ScheduledFuture<?> task;
  private boolean passed;
  private boolean closed;

  private RunDeadline(Duration timeout) throws OrtException {
    this.options = new OrtSession.RunOptions();
    this.task = TIMER.schedule(this::pass, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  static RunDeadline start(Duration timeout) throws OrtException {
    return new RunDeadline(timeout);
  }

  OrtSession.RunOptions options() {
    return options;
  }

  /** Whether the deadline passed before the run ended: a failed run was stopped by it. */
  synchronized boolean passed() {
    return passed;
  }

  private synchronized void pass() {
    if (closed) {
      return;
    }
    try {
      options.setTerminate(true);
      passed = true;
    } catch (OrtException e) {
      // The run goes on to its end; the slot is freed then.
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    task.cancel(false);
    options.close();
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "scoring-timeout");
              thread.setDaemon(true);
              return thread;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
