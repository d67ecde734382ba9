package io.mlws.scorer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.helpers.NOPAppender;
import java.io.PrintStream;
import org.slf4j.LoggerFactory;

/**
 * Logging for the scorer, set up in code before stdout is redirected into traces: log lines go to
 * the process's original stdout (so they are never captured twice), and the loggers that exist only
 * to become telemetry (data collection, captured stdout and stderr) print nothing.
 */
final class ConsoleLogging {
  /** A logger that reaches Application Insights as ExceptionData but never the console. */
  static final String TELEMETRY_ONLY_EXCEPTIONS = "mlws.exceptions";

  /** Loggers whose records the agent turns into traces but which must not reach the console. */
  static final String[] TELEMETRY_ONLY = {
    "mlws.data_collection", "stdout", "stderr", TELEMETRY_ONLY_EXCEPTIONS
  };

  private ConsoleLogging() {}

  static void install(PrintStream originalStdout) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{ISO8601} %-5level %logger{36}: %msg%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder);
    console.setOutputStream(originalStdout);
    console.start();

    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    // Warns on every Storage call that java.net.http sets Content-Length itself, as it should.
    context.getLogger("com.azure.core.http.jdk.httpclient.JdkHttpClient").setLevel(Level.ERROR);

    NOPAppender<ILoggingEvent> nothing = new NOPAppender<>();
    nothing.setContext(context);
    nothing.start();
    for (String name : TELEMETRY_ONLY) {
      ch.qos.logback.classic.Logger logger = context.getLogger(name);
      logger.setAdditive(false);
      logger.setLevel(Level.INFO);
      logger.addAppender(nothing);
    }
  }
}
