package dev.forkwise.jdksuite;

import dev.forkwise.RoutingAgent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test agent for scripts/jdk-suite.sh, loaded as a second {@code -javaagent} after forkwise's
 * own: it routes nothing, and at exit writes what {@link RoutingAgent} did in this JVM, so the
 * script can prove that each routed test JVM was routed.
 *
 * <p>The counts go to {@code <dir>/<test>.<pid>}, where {@code dir} is the
 * {@code forkwise.routed.dir} property and {@code test} the {@code test.name} property jtreg sets
 * ({@code child} in JVMs without it), as one line {@code routed=N delegated=M}. Where the agent
 * is not active the line reads {@code routed=0 delegated=0 inactive: STATE}, which the script
 * marks in its table.
 */
public final class CountReport {

    private CountReport() {
    }

    /**
     * Arranges the count file, written by a shutdown hook.
     *
     * @param args ignored
     * @param inst ignored: this agent transforms nothing
     */
    public static void premain(String args, Instrumentation inst) {
        String dir = System.getProperty("forkwise.routed.dir");
        if (dir == null) {
            return;
        }
        String test = System.getProperty("test.name", "child");
        String name = test.replaceAll("[^A-Za-z0-9._-]", "_") + "." + ProcessHandle.current().pid();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> write(Path.of(dir, name)),
                "forkwise-count-report"));
    }

    private static void write(Path file) {
        String line;
        if (RoutingAgent.isActive()) {
            line = "routed=" + RoutingAgent.routedStarts()
                    + " delegated=" + RoutingAgent.passedThroughStarts();
        } else {
            // One line: the script reads the counts from its start and the mark after them.
            line = "routed=0 delegated=0 inactive: " + RoutingAgent.state().replaceAll("\\s+", " ");
        }
        try {
            Files.writeString(file, line + "\n");
        } catch (IOException e) {
            System.err.println("forkwise jdk-suite count report: cannot write " + file + ": " + e);
        }
    }
}
