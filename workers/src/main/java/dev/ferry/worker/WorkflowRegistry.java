package dev.ferry.worker;

import dev.ferry.schemas.Names;
import dev.ferry.workflows.WorkflowEntrypoint;
import java.lang.reflect.Constructor;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The workflow classes a worker hosts, by workflow name. A fresh instance of the class runs each
 * activation, so fields never leak state from one run into another.
 *
 * <pre>{@code
 * WorkflowRegistry registry = new WorkflowRegistry()
 *     .register("orders", OrderWorkflow.class)
 *     .register("greeting", () -> new Greeting(mailer));
 * }</pre>
 */
public final class WorkflowRegistry {
  private final Map<String, Supplier<? extends WorkflowEntrypoint<?, ?>>> byName = new TreeMap<>();
  private final Map<String, Class<?>> classes = new TreeMap<>();

  public WorkflowRegistry register(
      String name, Supplier<? extends WorkflowEntrypoint<?, ?>> factory) {
    Names.checkWorkflowName(name)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    if (byName.putIfAbsent(name, factory) != null) {
      throw new IllegalArgumentException("workflow '" + name + "' is registered twice");
    }
    return this;
  }

  /** Registers a class with a public no-argument constructor. */
  public WorkflowRegistry register(String name, Class<? extends WorkflowEntrypoint<?, ?>> type) {
    register(name, factoryFor(type));
    classes.put(name, type);
    return this;
  }

  private static Supplier<? extends WorkflowEntrypoint<?, ?>> factoryFor(
      Class<? extends WorkflowEntrypoint<?, ?>> type) {
    Constructor<? extends WorkflowEntrypoint<?, ?>> constructor;
    try {
      constructor = type.getDeclaredConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          type.getName() + " needs a no-argument constructor, or register a factory instead", e);
    }
    return () -> {
      try {
        return constructor.newInstance();
      } catch (java.lang.reflect.InvocationTargetException e) {
        // What the constructor threw is what the user needs to see, not the reflection wrapper.
        Throwable thrown = e.getTargetException();
        if (thrown instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (thrown instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException(thrown.toString(), thrown);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot create " + type.getName() + ": " + e, e);
      }
    };
  }

  public Optional<WorkflowEntrypoint<?, ?>> create(String name) {
    return Optional.ofNullable(byName.get(name)).map(Supplier::get);
  }

  public Set<String> names() {
    return byName.keySet();
  }

  /**
   * The class that runs a workflow, for its version id. A workflow registered with a factory is
   * created once to learn it.
   */
  public Optional<Class<?>> workflowClass(String name) {
    Class<?> known = classes.get(name);
    if (known != null) {
      return Optional.of(known);
    }
    return create(name).map(Object::getClass);
  }
}
