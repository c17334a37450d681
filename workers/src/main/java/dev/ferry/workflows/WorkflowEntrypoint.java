package dev.ferry.workflows;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;

/**
 * A workflow: extend this class and implement {@link #run}. Its return value becomes the instance
 * output; params ({@code P}) and output ({@code R}) are JSON values (records, POJOs, collections).
 *
 * <pre>{@code
 * public final class Greeting extends WorkflowEntrypoint<Greeting.Params, String> {
 *   public record Params(String name) {}
 *
 *   @Override
 *   public String run(WorkflowEvent<Params> event, WorkflowStep step) {
 *     String hello = step.run("greet", () -> "Hello, " + event.payload().name());
 *     step.sleep("nap", "2 seconds");
 *     return step.run("shout", () -> hello.toUpperCase());
 *   }
 * }
 * }</pre>
 *
 * @param <P> the params type
 * @param <R> the output type
 */
public abstract class WorkflowEntrypoint<P, R> {

  public abstract R run(WorkflowEvent<P> event, WorkflowStep step) throws Exception;

  /** The params type as declared by the subclass, so the runtime can decode params to it. */
  public Type paramsType() {
    Type type = getClass().getGenericSuperclass();
    Class<?> current = getClass();
    while (current != null && current != WorkflowEntrypoint.class) {
      type = current.getGenericSuperclass();
      if (type instanceof ParameterizedType parameterized
          && parameterized.getRawType() == WorkflowEntrypoint.class) {
        Type params = parameterized.getActualTypeArguments()[0];
        return params instanceof TypeVariable<?> ? Object.class : params;
      }
      current = current.getSuperclass();
    }
    return Object.class;
  }
}
