package dev.forkwise;

import dev.forkwise.demo.WriteThenExec.Starter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a thread per child: {@code ProcessBuilder} parks one reaper thread for each running
 * child. forkwise watches every child from one thread, so a thousand children cost no thread.
 */
class ThreadPerChildTest {

    private static final int CHILDREN = 1000;

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
}
