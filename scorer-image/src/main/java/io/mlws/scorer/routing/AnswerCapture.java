package io.mlws.scorer.routing;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A response that hands its status and body, once written whole, to {@code whenWritten} as the last
 * bytes go out: the scorer's handler writes each answer in one write. What it is handed never
 * delays the answer.
 */
final class AnswerCapture extends Response.Wrapper {
  private final BiConsumer<Integer, byte[]> whenWritten;

  AnswerCapture(Request request, Response wrapped, BiConsumer<Integer, byte[]> whenWritten) {
    super(request, wrapped);
    this.whenWritten = whenWritten;
  }

  @Override
  public void write(boolean last, ByteBuffer content, Callback callback) {
    if (last) {
      byte[] bytes = new byte[content == null ? 0 : content.remaining()];
      if (content != null) {
        content.duplicate().get(bytes);
      }
      try {
        whenWritten.accept(getStatus(), bytes);
      } catch (RuntimeException ignored) {
        // Shadow traffic and its telemetry never affect the answer.
      }
    }
    super.write(last, content, callback);
  }
}
