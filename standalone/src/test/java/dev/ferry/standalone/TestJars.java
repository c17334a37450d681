package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;

/** A user's workflow classes as a test builds them: compiled against the SDK, packed in a jar. */
final class TestJars {
  private TestJars() {}

  /**
   * Compiles {@code sources} against this test's classpath (which holds the SDK) into {@code
   * dir}/classes and packs them in {@code dir}/{@code name}, as {@code mvn package} would.
   */
  static Path build(Path dir, String name, List<Path> sources) throws IOException {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<String> args =
        new ArrayList<>(
            List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
    sources.forEach(source -> args.add(source.toString()));
    assertThat(
            ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)))
        .as("javac exit code")
        .isZero();
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        var compiled = Files.walk(classes)) {
      for (Path path : compiled.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(path));
        out.closeEntry();
      }
    }
    return jar;
  }
}
