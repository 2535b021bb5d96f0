package dev.forkwise.jdksuite;

import dev.forkwise.Spawner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the rewritten {@code ProcessBuilder.start()} and {@code ProcessBuilder.startPipeline}
 * go: to {@link Spawner}, once per call. It lives on the boot class path beside forkwise, because
 * {@code ProcessBuilder} is a boot class and can only see boot classes.
 *
 * <p>A per-thread guard makes the call re-entrant: when forkwise itself falls back to
 * {@code ProcessBuilder} (it cannot spawn, or the start is one it delegates), the nested call
 * returns {@code null}, and the rewritten method runs the JDK's own code.
 *
 * <p>Counts are written when the JVM exits, to {@code <dir>/<test>.<pid>} where {@code dir} is
 * the {@code forkwise.routed.dir} property: the script reads them to prove a routed run was routed.
 */
public final class Route {
    private static final ThreadLocal<Boolean> INSIDE = new ThreadLocal<>();
    private static final AtomicInteger ROUTED = new AtomicInteger();
    private static final AtomicInteger DELEGATED = new AtomicInteger();

    private Route() {
    }

    /**
     * Starts {@code builder} with forkwise, or returns {@code null} inside forkwise's own call.
     *
     * @param builder the builder whose {@code start()} was called
     * @return the started process, or {@code null} to run the JDK's code
     * @throws IOException as {@link Spawner#start(ProcessBuilder)} throws it
     */
    public static Process start(ProcessBuilder builder) throws IOException {
        if (INSIDE.get() != null) {
            DELEGATED.incrementAndGet();
            return null;
        }
        INSIDE.set(Boolean.TRUE);
        try {
            ROUTED.incrementAndGet();
            return Spawner.start(builder);
        } finally {
            INSIDE.remove();
        }
    }

    /**
     * Starts a pipeline with forkwise, or returns {@code null} inside forkwise's own call.
     *
     * @param builders the builders passed to {@code ProcessBuilder.startPipeline}
     * @return the started processes, or {@code null} to run the JDK's code
     * @throws IOException as {@link Spawner#startPipeline(List)} throws it
     */
    public static List<Process> startPipeline(List<ProcessBuilder> builders) throws IOException {
        if (INSIDE.get() != null) {
            DELEGATED.incrementAndGet();
            return null;
        }
        INSIDE.set(Boolean.TRUE);
        try {
            ROUTED.incrementAndGet();
            return Spawner.startPipeline(builders);
        } finally {
            INSIDE.remove();
        }
    }

    /** Called by the agent once {@code ProcessBuilder} is rewritten: arranges the count file. */
    public static void installed() {
        String dir = System.getProperty("forkwise.routed.dir");
        if (dir == null) {
            return;
        }
        String test = System.getProperty("test.name", "child");
        String name = test.replaceAll("[^A-Za-z0-9._-]", "_") + "." + ProcessHandle.current().pid();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(Path.of(dir, name),
                        "routed=" + ROUTED.get() + " delegated=" + DELEGATED.get() + "\n");
            } catch (IOException e) {
                System.err.println("forkwise jdk-suite agent: cannot write counts: " + e);
            }
        }, "forkwise-route-counts"));
    }
}
