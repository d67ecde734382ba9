package io.mlws.operator.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The scorer image is built from scorer-image/target/scorer.jar, which Maven builds in the scorer
 * module while this module's tests run beside it (the build runs modules in parallel): before the
 * image is built, the jar must be newer than every source it is made of. Unchanged sources give the
 * same jar, so an older jar is fine as long as nothing it is made of changed since.
 */
public final class ScorerJar {
  public static final Path MODULE = LocalCluster.REPO.resolve("scorer-image");
  public static final Path JAR = MODULE.resolve("target/scorer.jar");
  public static final Duration WAIT = Duration.ofMinutes(10);

  private ScorerJar() {}

  /** Waits, at most {@link #WAIT}, for a jar newer than the scorer's sources; fails saying what. */
  public static void awaitCurrent() throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      Optional<Path> newer = sourceNewerThanJar();
      if (newer.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            JAR
                + (Files.exists(JAR) ? " is older than " + newer.get() : " does not exist")
                + " after "
                + WAIT.toMinutes()
                + " minutes: build the scorer (mvn -B -pl scorer-image -am package -DskipTests)");
      }
      Thread.sleep(2_000);
    }
  }

  /** A source of the jar (the poms, src/main) changed after it was built, or the jar is missing. */
  public static Optional<Path> sourceNewerThanJar() {
    if (!Files.exists(JAR)) {
      return Optional.of(JAR);
    }
    try (Stream<Path> sources =
        Stream.concat(
            Stream.of(LocalCluster.REPO.resolve("pom.xml"), MODULE.resolve("pom.xml")),
            Files.walk(MODULE.resolve("src/main")))) {
      FileTime built = Files.getLastModifiedTime(JAR);
      return sources
          .filter(Files::isRegularFile)
          .filter(source -> modified(source).compareTo(built) > 0)
          .findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
