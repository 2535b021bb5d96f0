package dev.forkwise.process;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;

/**
 * A builder's environment as the child must get it, found without changing the builder where
 * the JDK lets forkwise look.
 *
 * <p>{@code ProcessBuilder} passes no environment block (the child gets the parent's
 * {@code environ}, and the program is found with glibc's {@code execvp}) exactly when
 * {@code environment()} was never called on the builder. No public API tells whether it was, and
 * calling it creates the map, so a later {@code builder.start()} would pass a block and search
 * differently. Where {@code java.lang} is open to forkwise ({@code --add-opens
 * java.base/java.lang=...}), the builder's private field is read instead, and the builder is left
 * as it was. Elsewhere {@code environment()} is called, and a map equal to the JVM's environment
 * counts as untouched (a documented difference).
 */
final class BuilderEnvironment {

    /** The builder's private environment field, where it can be read; else {@code null}. */
    private static final Field FIELD = field();

    private BuilderEnvironment() {
    }

    /**
     * {@return the child's environment as {@code name=value} entries, or {@code null} when it is
     * this JVM's own {@code environ}, passed untouched}
     */
    static List<String> of(ProcessBuilder builder) {
        Map<?, ?> environment;
        if (FIELD != null) {
            try {
                environment = (Map<?, ?>) FIELD.get(builder);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            if (environment == null) {
                return null;
            }
        } else {
            environment = builder.environment();
            if (environment.equals(System.getenv())) {
                return null;
            }
        }
        return environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static Field field() {
        if (!ProcessBuilder.class.getModule().isOpen("java.lang", BuilderEnvironment.class.getModule())) {
            return null;
        }
        try {
            Field field = ProcessBuilder.class.getDeclaredField("environment");
            if (!Map.class.isAssignableFrom(field.getType())) {
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }
}
