package dev.forkwise;

import dev.forkwise.support.Await;
import dev.forkwise.support.Gate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a child the program forgets: it outlives the JVM, unless started with
 * {@code destroyOnExit}, which must cost no thread per child.
 */
@Tag("watcher")
@Tag("fallback-too")
class DestroyOnExitTest {

    @TempDir
    Path dir;

    @Test
    void aForgottenChildIsDestroyedWhenTheJvmExits() throws Exception {
        try (Gate gate = Gate.in(dir)) {
            long child = startInChildJvmAndExit(gate, true);

            Await.until("child " + child + " destroyed at JVM exit", () -> !OsProbe.isRunning(child));
        }
    }

    @Test
    void withoutTheOptionTheForgottenChildOutlivesTheJvm() throws Exception {
        try (Gate gate = Gate.in(dir)) {
            long child = startInChildJvmAndExit(gate, false);

            assertThat(OsProbe.isRunning(child)).as("the hazard: an orphan").isTrue();
            gate.release(1);
            Await.until("orphan " + child + " let go", () -> !OsProbe.isRunning(child));
        }
    }

    @Test
    void registeringChildrenStartsNoThread() throws Exception {
        try (Gate gate = Gate.in(dir)) {
            List<ChildProcess> children = new ArrayList<>();
            ChildProcess first = Spawner.start(new ProcessBuilder(gate.thenRun("true")), SpawnOptions.defaults().destroyOnExit());
            gate.release(1);
            assertThat(first.waitFor()).as("the hook registered, the first child let go").isZero();
            long platformBefore = platformThreadsNotWatchingExits();
            int virtualBefore = OsProbe.allThreads() - OsProbe.platformThreads();

            for (int i = 0; i < 20; i++) {
                children.add(Spawner.start(new ProcessBuilder(gate.thenRun("true")), SpawnOptions.defaults().destroyOnExit()));
            }

            assertThat(platformThreadsNotWatchingExits()).as("platform threads: %s", Thread.getAllStackTraces().keySet())
                    .isLessThanOrEqualTo(platformBefore);
            assertThat(OsProbe.allThreads() - OsProbe.platformThreads()).isLessThanOrEqualTo(virtualBefore);
            gate.release(children.size());
            for (ChildProcess child : children) {
                assertThat(child.waitFor()).isZero();
            }
        }
    }

    /**
     * Platform threads, less the exit watchers every child costs with or without the option
     * (fallback, threads mode) and the common pool's workers, which come and go with its load.
     */
    private static long platformThreadsNotWatchingExits() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> !name.startsWith("process reaper") && !name.startsWith("forkwise-reaper-")
                        && !name.startsWith("ForkJoinPool.commonPool-worker-"))
                .count();
    }

    /** Runs {@link Forgetter} in a child JVM, which starts a child at {@code gate} and exits; returns that child's pid. */
    private static long startInChildJvmAndExit(Gate gate, boolean destroyOnExit) throws Exception {
        List<String> command = new ArrayList<>(OsProbe.javaCommand(Forgetter.class, gate.fifo().toString(),
                Boolean.toString(destroyOnExit)));
        String fallback = System.getProperty("dev.forkwise.forceFallback");
        if (fallback != null) {
            command.add(1, "-Ddev.forkwise.forceFallback=" + fallback);
        }
        Process jvm = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long child;
        try (BufferedReader output = jvm.inputReader()) {
            child = Long.parseLong(output.readLine());
        }
        assertThat(jvm.waitFor()).as("the child JVM's exit").isZero();
        return child;
    }

    /** The child JVM: starts {@code sh} waiting at the gate, prints its pid and exits without a thought for it. */
    static final class Forgetter {
        public static void main(String[] args) throws Exception {
            SpawnOptions options = Boolean.parseBoolean(args[1]) ? SpawnOptions.defaults().destroyOnExit() : SpawnOptions.defaults();
            ChildProcess child = Spawner.start(new ProcessBuilder("sh", "-c", "read line < \"$0\"", args[0]), options);
            System.out.println(child.pid());
            System.out.flush();
            System.exit(0);
        }
    }
}
