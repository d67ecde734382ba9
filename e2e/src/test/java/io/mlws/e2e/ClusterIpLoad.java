package io.mlws.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Several clients scoring through a Service's ClusterIP on keep-alive connections, as an
 * application in the cluster would, while the test rolls, rotates and scales the pods behind it.
 * Every outcome is counted: a status code, or the exception a client got (refused, reset, timeout).
 * Bounded: each client stops when told, or after {@code MAX_REQUESTS} requests or ten minutes.
 */
final class ClusterIpLoad implements AutoCloseable {
  static final int MAX_REQUESTS = 200_000;
  static final Duration MAX_DURATION = Duration.ofMinutes(10);

  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final List<Thread> clients = new ArrayList<>();

  private ClusterIpLoad() {}

  /** Starts {@code clients} clients, each sending a request every {@code pause} at most. */
  static ClusterIpLoad start(String base, int clients, Duration pause) {
    return start(base, clients, pause, Map.of());
  }

  /** The same, each request carrying these headers (e.g. a key). */
  static ClusterIpLoad start(
      String base, int clients, Duration pause, Map<String, String> headers) {
    ClusterIpLoad load = new ClusterIpLoad();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + "/score"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(Calls.IRIS_ROW));
    headers.forEach(builder::header);
    HttpRequest request = builder.build();
    long deadline = System.nanoTime() + MAX_DURATION.toNanos();
    for (int i = 0; i < clients; i++) {
      Thread client =
          new Thread(
              () -> {
                for (int n = 0;
                    n < MAX_REQUESTS && !load.stop.get() && System.nanoTime() < deadline;
                    n++) {
                  load.count(outcome(http, request));
                  try {
                    Thread.sleep(pause.toMillis());
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "cluster-ip-load-" + i);
      client.setDaemon(true);
      client.start();
      load.clients.add(client);
    }
    return load;
  }

  private static String outcome(HttpClient http, HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      // A score of any model: iris answers setosa here, sklearn-logreg a class number.
      return response.statusCode() == 200 && response.body().contains("\"predictions\":[")
          ? "200"
          : response.statusCode() + " " + response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (Exception e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private void count(String outcome) {
    outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
  }

  /** Stops the clients, waits for their last requests, and returns every outcome and its count. */
  Map<String, Long> stopAndCount() throws InterruptedException {
    stop.set(true);
    for (Thread client : clients) {
      client.join(Duration.ofSeconds(30).toMillis());
    }
    Map<String, Long> counted = new TreeMap<>();
    outcomes.forEach((outcome, count) -> counted.put(outcome, count.sum()));
    return counted;
  }

  @Override
  public void close() throws InterruptedException {
    stopAndCount();
  }
}
