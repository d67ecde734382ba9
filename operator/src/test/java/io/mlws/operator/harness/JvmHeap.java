package io.mlws.operator.harness;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What another JVM (the packaged operator) holds in its heap, as jcmd reports it. */
public final class JvmHeap {
  private static final Pattern USED =
      Pattern.compile("(heap|generation) +total \\d+K, used (\\d+)K");

  private JvmHeap() {}

  /** The heap in use after a full GC, all generations, in KiB; -1 when jcmd says nothing usable. */
  public static long afterGcKiB(long pid) throws Exception {
    jcmd(pid, "GC.run");
    long usedKiB = 0;
    for (String line : jcmd(pid, "GC.heap_info").lines().toList()) {
      Matcher used = USED.matcher(line);
      if (used.find()) {
        usedKiB += Long.parseLong(used.group(2));
      }
    }
    return usedKiB > 0 ? usedKiB : -1;
  }

  private static String jcmd(long pid, String command) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process process =
        new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(60, TimeUnit.SECONDS);
    return text;
  }
}
