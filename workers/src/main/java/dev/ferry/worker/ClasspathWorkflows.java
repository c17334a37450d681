package dev.ferry.worker;

import dev.ferry.workflows.WorkflowEntrypoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Workflow classes loaded from jars and class folders that are not on the worker's own classpath:
 * what {@code ferry worker --classpath ... --workflow name=class} hosts. The classes see Ferry's
 * SDK through the parent class loader, so they are compiled against {@code ferry-workers} and
 * nothing of Ferry is packaged with them.
 *
 * <pre>{@code
 * WorkflowRegistry hosted = ClasspathWorkflows.load(
 *     List.of(Path.of("target/greetings.jar")), Map.of("greet", "com.example.Greet"));
 * }</pre>
 */
public final class ClasspathWorkflows {
  private ClasspathWorkflows() {}

  /**
   * A registry of exactly these workflows (name → class name), their classes loaded from {@code
   * classpath}. Each problem is an {@link IllegalArgumentException} naming the entry and the rule.
   */
  public static WorkflowRegistry load(List<Path> classpath, Map<String, String> workflows) {
    if (workflows.isEmpty()) {
      throw new IllegalArgumentException("name at least one workflow as <name>=<class>");
    }
    URLClassLoader loader =
        new URLClassLoader(
            "ferry-workflows", urls(classpath), ClasspathWorkflows.class.getClassLoader());
    WorkflowRegistry registry = new WorkflowRegistry();
    workflows.forEach(
        (name, className) -> registry.register(name, workflowClass(loader, className, classpath)));
    return registry;
  }

  private static URL[] urls(List<Path> classpath) {
    List<URL> urls = new ArrayList<>();
    for (Path entry : classpath) {
      if (!Files.exists(entry)) {
        throw new IllegalArgumentException(
            "classpath entry " + entry.toAbsolutePath() + " does not exist");
      }
      boolean folder = Files.isDirectory(entry);
      if (!folder && !entry.getFileName().toString().endsWith(".jar")) {
        throw new IllegalArgumentException(
            "classpath entry " + entry + " must be a .jar file or a folder of classes");
      }
      try {
        urls.add(entry.toRealPath().toUri().toURL());
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("classpath entry " + entry + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read classpath entry " + entry, e);
      }
    }
    return urls.toArray(URL[]::new);
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends WorkflowEntrypoint<?, ?>> workflowClass(
      ClassLoader loader, String className, List<Path> classpath) {
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(
          "class " + className + " cannot be loaded from the classpath " + classpath + ": " + e, e);
    }
    if (!WorkflowEntrypoint.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          "class " + className + " must extend " + WorkflowEntrypoint.class.getName());
    }
    return (Class<? extends WorkflowEntrypoint<?, ?>>) type;
  }
}
