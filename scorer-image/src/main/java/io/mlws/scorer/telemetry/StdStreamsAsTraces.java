package io.mlws.scorer.telemetry;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every line written to stdout or stderr a trace, as Azure ML does with print() in a scoring
 * script: the agent does not capture the streams, but it does capture logging, so each line is
 * logged (INFO for stdout, WARN for stderr) to a logger that prints nothing, and is still written
 * to the original stream for `kubectl logs`.
 */
public final class StdStreamsAsTraces {
  private static final int MAX_LINE = 8192;

  private StdStreamsAsTraces() {}

  /**
   * Redirects both streams; {@code watcher} also reads every line (the agent's log comes this way:
   * its console appender writes to whatever System.out is at the time).
   */
  public static void install(Consumer<String> watcher) {
    System.setOut(forward(System.out, LoggerFactory.getLogger("stdout"), false, watcher));
    System.setErr(forward(System.err, LoggerFactory.getLogger("stderr"), true, watcher));
  }

  private static PrintStream forward(
      PrintStream original, Logger logger, boolean warn, Consumer<String> watcher) {
    return new PrintStream(
        new LineForwarder(original, logger, warn, watcher), true, StandardCharsets.UTF_8);
  }

  /** Passes bytes through and logs each completed line. */
  private static final class LineForwarder extends OutputStream {
    private final PrintStream original;
    private final Logger logger;
    private final boolean warn;
    private final Consumer<String> watcher;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineForwarder(PrintStream original, Logger logger, boolean warn, Consumer<String> watcher) {
      this.original = original;
      this.logger = logger;
      this.warn = warn;
      this.watcher = watcher;
    }

    @Override
    public synchronized void write(int b) {
      original.write(b);
      accept(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      original.write(bytes, offset, length);
      for (int i = offset; i < offset + length; i++) {
        accept(bytes[i]);
      }
    }

    @Override
    public synchronized void flush() {
      original.flush();
    }

    private void accept(int b) {
      if (b == '\n') {
        emit();
      } else if (line.size() < MAX_LINE) {
        line.write(b);
      }
    }

    private void emit() {
      String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
      line.reset();
      if (text.isEmpty()) {
        return;
      }
      try {
        watcher.accept(text);
        if (warn) {
          logger.warn(text);
        } else {
          logger.info(text);
        }
      } catch (Throwable ignored) {
        // A line that cannot become a trace is still on the console.
      }
    }
  }
}
