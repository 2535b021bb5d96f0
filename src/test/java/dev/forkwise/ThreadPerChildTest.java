package dev.forkwise;

import dev.forkwise.support.Await;
import dev.forkwise.support.Gate;
import dev.forkwise.support.Starter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a thread per child: {@code ProcessBuilder} parks one reaper thread for each running
 * child, and its users one reader thread per output. forkwise watches every child and reads every
 * output from one thread, so children that are running and idle cost no thread.
 *
 * <p>Threads are counted platform and virtual alike ({@link OsProbe#allThreads()}). Every count is
 * taken while every child waits at a {@link Gate}, so no child can have exited and taken its thread
 * with it; forkwise's callbacks may run on virtual threads while output flows, but an idle child
 * must cost nothing. The bound of a few threads allows for the JVM's own (a common-pool worker, a
 * carrier) appearing meanwhile; it is far below one per child.
 */
class ThreadPerChildTest {

    private static final int CHILDREN = 1000;
    private static final int MB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aThousandConcurrentChildrenAddAtMostFourThreadsAndLeaveNothingBehind() throws Exception {
        Spawner.start(new ProcessBuilder("true")).waitFor();   // the watcher and cleaner threads exist from here
        long pidfdsBefore = OsProbe.openPidfds();

        Measured forkwise = runConcurrently(Spawner::start);
        System.out.printf("%d idle children: forkwise added %d threads%n", CHILDREN, forkwise.threadsAdded);
        assertThat(forkwise.threadsAdded).as("threads added while %d children waited", CHILDREN).isLessThanOrEqualTo(4);
        assertThat(forkwise.exitValues).containsOnly(0).hasSize(CHILDREN);
        assertThat(OsProbe.zombieChildren()).as("zombies").isEmpty();
        Await.until("every pidfd given back", OsProbe::openPidfds, open -> open == pidfdsBefore);

        // The control: the same count sees ProcessBuilder's reaper thread per child (but for the few
        // idle reapers its thread pool kept from earlier starts, such as the gate's mkfifo, and reuses).
        Measured jdk = runConcurrently(ProcessBuilder::start);
        System.out.printf("%d idle children: ProcessBuilder added %d threads%n", CHILDREN, jdk.threadsAdded);
        assertThat(jdk.threadsAdded).as("ProcessBuilder's reaper threads, counted the same way").isGreaterThanOrEqualTo(CHILDREN * 9 / 10);
        assertThat(jdk.exitValues).containsOnly(0).hasSize(CHILDREN);
    }

    @Test
    void onExitCompletesWithoutAThreadPerChild() throws Exception {
        Spawner.start(new ProcessBuilder("true")).onExit().get();
        List<Process> children = new ArrayList<>();
        List<CompletableFuture<Process>> exits = new ArrayList<>();
        int added;
        try (Gate gate = Gate.in(dir)) {
            int before = OsProbe.allThreads();
            for (int i = 0; i < 200; i++) {
                Process child = Spawner.start(new ProcessBuilder(gate.thenRun("exit " + (i % 5))).inheritIO());
                children.add(child);
                exits.add(child.onExit());
            }
            added = OsProbe.allThreads() - before;
            assertThat(exits).as("no child has passed the gate").noneMatch(CompletableFuture::isDone);
            gate.release(children.size());
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }

        for (int i = 0; i < children.size(); i++) {
            assertThat(exits.get(i).get()).isSameAs(children.get(i));
            assertThat(children.get(i).exitValue()).isEqualTo(i % 5);
        }
        System.out.printf("200 children waited for with onExit(): %d threads added%n", added);
        assertThat(added).as("threads added while 200 onExit futures were pending").isLessThanOrEqualTo(4);
    }

    /**
     * The children are collected from the start ({@code Spawner.run} claims both outputs) and wait
     * at the gate before they write: collecting idle children costs no thread. Then each writes
     * 1 MB to each output, all of which must arrive intact.
     */
    @Test
    void twoHundredChildrenCollectedWhileIdleCostNoThreadAndDeliverTwoMegabytesEach() throws Exception {
        Spawner.run(new ProcessBuilder("true")).get();   // the watcher and a common-pool worker exist from here
        List<CompletableFuture<Boolean>> verified = new ArrayList<>();
        int added;
        try (Gate gate = Gate.in(dir)) {
            int before = OsProbe.allThreads();
            for (int i = 0; i < 200; i++) {
                String out = "child " + i + " stdout\n";
                String err = "child " + i + " stderr\n";
                ProcessBuilder builder = new ProcessBuilder(gate.thenRun(
                        "yes \"$1\" | head -c $3 & yes \"$2\" | head -c $3 >&2; wait",
                        out.strip(), err.strip(), Integer.toString(MB)));
                verified.add(Spawner.run(builder).thenApply(result -> result.exitValue() == 0
                        && result.stdout().length == MB && result.stderr().length == MB
                        && isRepeated(result.stdout(), out) && isRepeated(result.stderr(), err)));
            }
            added = OsProbe.allThreads() - before;
            assertThat(verified).as("no child has passed the gate").noneMatch(CompletableFuture::isDone);
            gate.release(verified.size());
            CompletableFuture.allOf(verified.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        }

        assertThat(verified).allSatisfy(result -> assertThat(result.get()).isTrue());
        System.out.printf("200 idle children being collected: %d threads added%n", added);
        assertThat(added).as("threads added while 200 children's outputs were collected").isLessThanOrEqualTo(2);
    }

    private record Measured(int threadsAdded, List<Integer> exitValues) {
    }

    private Measured runConcurrently(Starter starter) throws Exception {
        List<Process> children = new ArrayList<>(CHILDREN);
        List<Integer> exitValues = new ArrayList<>(CHILDREN);
        int added;
        try (Gate gate = Gate.in(dir)) {
            int before = OsProbe.allThreads();
            for (int i = 0; i < CHILDREN; i++) {
                children.add(starter.start(new ProcessBuilder(gate.thenRun("exit 0")).inheritIO()));
            }
            added = OsProbe.allThreads() - before;
            assertThat(children).as("every child waits at the gate").allMatch(Process::isAlive);
            gate.release(CHILDREN);
            for (Process child : children) {
                exitValues.add(child.waitFor());
            }
        }
        return new Measured(added, exitValues);
    }

    private static boolean isRepeated(byte[] bytes, String unit) {
        byte[] pattern = unit.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != pattern[i % pattern.length]) {
                return false;
            }
        }
        return true;
    }
}
