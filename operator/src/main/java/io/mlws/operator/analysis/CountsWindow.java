package io.mlws.operator.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One service's pods' counts as read at successive moments, from which the calls of the last window
 * are taken. Each pod's counts are compared with its own earlier ones, so a pod that came, went or
 * restarted adds only what it counted inside the window, and a pod that did not answer once is
 * compared with its last answer.
 */
final class CountsWindow {
  /** Reads kept at most, whatever the windows: with a read every 5 s, over an hour. */
  static final int MAX_SNAPSHOTS = 800;

  /** What each pod (by uid) counted, by version, at a moment. */
  record Snapshot(Instant at, Map<String, Map<String, RequestCounts>> pods) {}

  private final Deque<Snapshot> snapshots = new ArrayDeque<>();

  void add(Snapshot snapshot) {
    snapshots.addLast(snapshot);
    while (snapshots.size() > MAX_SNAPSHOTS) {
      snapshots.removeFirst();
    }
  }

  Instant latest() {
    return snapshots.isEmpty() ? Instant.MIN : snapshots.getLast().at();
  }

  /** Forgets what is older than needed to look {@code longest} back from the latest read. */
  void keep(Duration longest) {
    if (snapshots.isEmpty()) {
      return;
    }
    Instant cutoff = snapshots.getLast().at().minus(longest);
    // Keep the newest read at or before the cutoff: it is the start of the longest window.
    while (snapshots.size() > 1) {
      Iterator<Snapshot> oldest = snapshots.iterator();
      oldest.next();
      if (!oldest.next().at().isAfter(cutoff)) {
        snapshots.removeFirst();
      } else {
        break;
      }
    }
  }

  /**
   * The calls of the last {@code window}, by version: for each pod of the latest read, its counts
   * now less its counts at the newest read at or before the window's start (or, for a pod first
   * seen after it, at its first read).
   */
  Map<String, RequestCounts> lastWindow(Duration window) {
    Map<String, RequestCounts> byVersion = new HashMap<>();
    if (snapshots.isEmpty()) {
      return byVersion;
    }
    Snapshot latest = snapshots.getLast();
    Instant start = latest.at().minus(window);
    for (Map.Entry<String, Map<String, RequestCounts>> pod : latest.pods().entrySet()) {
      Map<String, RequestCounts> earlier = baseline(pod.getKey(), start);
      for (Map.Entry<String, RequestCounts> version : pod.getValue().entrySet()) {
        RequestCounts before = earlier.getOrDefault(version.getKey(), RequestCounts.NONE);
        byVersion.merge(version.getKey(), version.getValue().since(before), RequestCounts::plus);
      }
    }
    return byVersion;
  }

  private Map<String, RequestCounts> baseline(String pod, Instant start) {
    Map<String, RequestCounts> atOrBeforeStart = null;
    Map<String, RequestCounts> firstAfterStart = null;
    for (Snapshot snapshot : snapshots) {
      Map<String, RequestCounts> counts = snapshot.pods().get(pod);
      if (counts == null) {
        continue;
      }
      if (!snapshot.at().isAfter(start)) {
        atOrBeforeStart = counts;
      } else if (firstAfterStart == null) {
        firstAfterStart = counts;
      }
    }
    return atOrBeforeStart != null ? atOrBeforeStart : firstAfterStart;
  }
}
