package dev.forkwise;

import dev.forkwise.support.Starter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a thread per child: {@code ProcessBuilder} parks one reaper thread for each running
 * child, and its users one reader thread per output. forkwise watches every child and reads every
 * output from one thread, so a thousand children cost no thread.
 */
class ThreadPerChildTest {

    private static final int CHILDREN = 1000;
    private static final int MB = 1 << 20;

    @Test
    void aThousandConcurrentChildrenAddAtMostFourThreadsAndLeaveNothingBehind() throws Exception {
        Spawner.start(new ProcessBuilder("true")).waitFor();   // the watcher and cleaner threads exist from here
        long pidfdsBefore = OsProbe.openPidfds();

        Measured forkwise = runConcurrently(Spawner::start);
        assertThat(forkwise.allRunningWhenCounted).as("all %d children were running when threads were counted", CHILDREN).isTrue();

        System.out.printf("%d concurrent children: forkwise added %d threads%n", CHILDREN, forkwise.threadsAdded);
        assertThat(forkwise.threadsAdded).as("threads added while %d children ran", CHILDREN).isLessThanOrEqualTo(4);
        assertThat(forkwise.exitValues).containsOnly(0).hasSize(CHILDREN);
        assertThat(OsProbe.zombieChildren()).as("zombies").isEmpty();
        assertThat(OsProbe.openPidfds()).as("pidfds still open").isEqualTo(pidfdsBefore);

        Measured jdk = runConcurrently(ProcessBuilder::start);
        System.out.printf("%d concurrent children: ProcessBuilder added %d threads%s%n", CHILDREN, jdk.threadsAdded,
                jdk.allRunningWhenCounted ? "" : " (some children had exited by then)");
        assertThat(jdk.exitValues).containsOnly(0).hasSize(CHILDREN);
    }

    @Test
    void onExitCompletesWithoutAThreadPerChild() throws Exception {
        Spawner.start(new ProcessBuilder("true")).onExit().get();
        int before = OsProbe.threads();
        List<Process> children = new ArrayList<>();
        List<CompletableFuture<Process>> exits = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Process child = Spawner.start(new ProcessBuilder("sh", "-c", "sleep 0.5; exit " + (i % 5)).inheritIO());
            children.add(child);
            exits.add(child.onExit());
        }
        int during = OsProbe.threads();
        CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        for (int i = 0; i < children.size(); i++) {
            assertThat(exits.get(i).get()).isSameAs(children.get(i));
            assertThat(children.get(i).exitValue()).isEqualTo(i % 5);
        }
        System.out.printf("200 children waited for with onExit(): %d threads added%n", during - before);
        assertThat(during - before).as("threads added while 200 onExit futures were pending").isLessThanOrEqualTo(4);
    }

    @Test
    void twoHundredChildrenWritingOneMegabyteToEachOutputAreCollectedWithAtMostTwoMoreThreads() throws Exception {
        Spawner.run(new ProcessBuilder("true")).get();   // the watcher and a common-pool worker exist from here
        int before = OsProbe.threads();
        List<CompletableFuture<Boolean>> verified = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String out = "child " + i + " stdout\n";
            String err = "child " + i + " stderr\n";
            ProcessBuilder builder = new ProcessBuilder("sh", "-c",
                    "yes \"$1\" | head -c $3 & yes \"$2\" | head -c $3 >&2; wait", "sh",
                    out.strip(), err.strip(), Integer.toString(MB));
            verified.add(Spawner.run(builder).thenApply(result -> result.exitValue() == 0
                    && result.stdout().length == MB && result.stderr().length == MB
                    && isRepeated(result.stdout(), out) && isRepeated(result.stderr(), err)));
        }
        int during = OsProbe.threads();
        CompletableFuture.allOf(verified.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

        assertThat(verified).allSatisfy(result -> assertThat(result.get()).isTrue());
        System.out.printf("200 children x 2 MB collected: %d threads added%n", during - before);
        assertThat(during - before).as("threads added").isLessThanOrEqualTo(2);
    }

    private record Measured(int threadsAdded, boolean allRunningWhenCounted, List<Integer> exitValues) {
    }

    private static Measured runConcurrently(Starter starter) throws Exception {
        int before = OsProbe.threads();
        List<Process> children = new ArrayList<>(CHILDREN);
        for (int i = 0; i < CHILDREN; i++) {
            children.add(starter.start(new ProcessBuilder("sleep", "3").inheritIO()));
        }
        int during = OsProbe.threads();
        boolean allRunning = children.stream().allMatch(Process::isAlive);
        List<Integer> exitValues = new ArrayList<>(CHILDREN);
        for (Process child : children) {
            exitValues.add(child.waitFor());
        }
        return new Measured(during - before, allRunning, exitValues);
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
