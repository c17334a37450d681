package dev.ferry.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaosClusterTest {
  private final String classpath = System.getProperty("java.class.path");

  @AfterEach
  void restore() {
    System.setProperty("java.class.path", classpath);
  }

  @Test
  void shouldRunThePartsFromACopyOfTheLaunchersJarSoARebuildCannotChangeItUnderThem(
      @TempDir Path dir) throws Exception {
    Path jar =
        Files.writeString(
            Files.createDirectories(dir.resolve("target")).resolve("ferry.jar"), "v1");
    Path run = Files.createDirectories(dir.resolve("run"));
    System.setProperty("java.class.path", jar.toString());

    Path frozen = Path.of(ChaosCluster.frozenClasspath(run));
    Files.writeString(jar, "v2"); // ./ferry rebuilt it

    assertThat(frozen).isEqualTo(run.resolve("ferry.jar"));
    assertThat(Files.readString(frozen)).isEqualTo("v1");
  }

  @Test
  void shouldRunThePartsFromAnyOtherClasspathAsItIs(@TempDir Path dir) throws Exception {
    String several = dir.resolve("a.jar") + File.pathSeparator + dir.resolve("ferry.jar");
    System.setProperty("java.class.path", several);
    assertThat(ChaosCluster.frozenClasspath(dir)).isEqualTo(several);

    System.setProperty("java.class.path", dir.resolve("classes").toString());
    assertThat(ChaosCluster.frozenClasspath(dir)).isEqualTo(dir.resolve("classes").toString());
  }
}
