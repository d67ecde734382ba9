package io.mlws.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connections to a pod's port that mean harm, each on its own thread until closed: some send part
 * of a request's headers and stop, reconnecting whenever the server closes them; others ask for one
 * path again and again as fast as they are answered. Counts what each kind of connection got.
 */
final class HostileConnections implements AutoCloseable {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final java.util.Set<Socket> open = ConcurrentHashMap.newKeySet();

  /** {@code count} connections that send a request line and a header, then nothing. */
  HostileConnections unfinishedHeaders(String host, int port, int count) {
    for (int i = 0; i < count; i++) {
      start(
          () -> {
            try (Socket socket = connect(host, port)) {
              OutputStream out = socket.getOutputStream();
              out.write(("GET /healthz HTTP/1.1\r\nHost: " + host + "\r\n").getBytes());
              out.flush();
              // The server's idle timeout ends it: read() returns -1 (or the socket's timeout).
              socket.getInputStream().read();
              count("unfinished headers: closed by the server");
            }
          });
    }
    return this;
  }

  /** {@code count} connections that GET {@code path} over and over, keeping the connection. */
  HostileConnections repeatedly(String host, int port, String path, int count) {
    for (int i = 0; i < count; i++) {
      start(
          () -> {
            try (Socket socket = connect(host, port)) {
              OutputStream out = socket.getOutputStream();
              InputStream in = socket.getInputStream();
              byte[] request =
                  ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII);
              while (!stopped.get()) {
                out.write(request);
                out.flush();
                String status = readResponse(in);
                count(path + " " + status);
                if (!status.startsWith("HTTP/1.1 200")) {
                  return; // a refusal closes the connection: open another
                }
              }
            }
          });
    }
    return this;
  }

  /** Stops every connection and says how many of each outcome there were. */
  Map<String, Long> stopAndCount() throws InterruptedException {
    close();
    Map<String, Long> counted = new java.util.TreeMap<>();
    outcomes.forEach((outcome, n) -> counted.put(outcome, n.sum()));
    return counted;
  }

  @Override
  public void close() throws InterruptedException {
    stopped.set(true);
    for (Socket socket : open) {
      try {
        socket.close();
      } catch (IOException alreadyClosed) {
        // what close() is for
      }
    }
    for (Thread thread : threads) {
      thread.interrupt();
      thread.join(READ_TIMEOUT.toMillis() + CONNECT_TIMEOUT.toMillis());
    }
  }

  private interface Connection {
    void run() throws IOException;
  }

  /** One connection after another on a thread, until stopped. */
  private void start(Connection connection) {
    Thread thread =
        new Thread(
            () -> {
              while (!stopped.get()) {
                try {
                  connection.run();
                } catch (IOException e) {
                  count("error: " + e.getClass().getSimpleName());
                  pause();
                }
              }
            },
            "hostile-connection-" + threads.size());
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private Socket connect(String host, int port) throws IOException {
    Socket socket =
        new Socket() {
          @Override
          public synchronized void close() throws IOException {
            open.remove(this);
            super.close();
          }
        };
    open.add(socket);
    socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
    socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    return socket;
  }

  /** Reads one response (its headers and its body, by length or chunked); its status line. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before a whole response");
      }
      head.append((char) b);
    }
    String headers = head.toString();
    long length = 0;
    boolean chunked = false;
    for (String line : headers.split("\r\n")) {
      String lower = line.toLowerCase();
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      for (long chunk = chunkSize(in); chunk > 0; chunk = chunkSize(in)) {
        in.skipNBytes(chunk + 2);
      }
      in.skipNBytes(2);
    } else {
      in.skipNBytes(length);
    }
    return headers.substring(0, headers.indexOf("\r\n"));
  }

  private static long chunkSize(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("closed inside a chunked body");
      }
      line.append((char) b);
    }
    String size = line.toString().trim();
    int extension = size.indexOf(';');
    return Long.parseLong(extension < 0 ? size : size.substring(0, extension), 16);
  }

  private void count(String outcome) {
    outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
  }

  private void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
