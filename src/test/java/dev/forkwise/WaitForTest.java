package dev.forkwise;

import dev.forkwise.support.Await;
import dev.forkwise.support.Gate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting for children: from many virtual threads, through {@code onExit()}, and interrupted. */
@Tag("watcher")
class WaitForTest {

    /** The children wait at a gate until every waiter is parked in {@code waitFor}: a thousand waits at once, for certain. */
    @Test
    void aThousandVirtualThreadsWaitForTheirChildrenAtOnce(@TempDir Path dir) throws Exception {
        List<Process> children = new ArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        List<CompletableFuture<Integer>> exits = new ArrayList<>();
        try (Gate gate = Gate.in(dir)) {
            for (int i = 0; i < 1000; i++) {
                children.add(Spawner.start(new ProcessBuilder(gate.thenRun("exit " + (i % 7))).inheritIO()));
            }
            for (Process child : children) {
                CompletableFuture<Integer> exit = new CompletableFuture<>();
                exits.add(exit);
                waiters.add(Thread.ofVirtual().start(() -> {
                    try {
                        exit.complete(child.waitFor());
                    } catch (Throwable t) {
                        exit.completeExceptionally(t);
                    }
                }));
            }
            for (Thread waiter : waiters) {
                Await.blockedIn(waiter, "waitFor");
            }
            assertThat(exits).as("no wait ended before the children were released").noneMatch(CompletableFuture::isDone);
            gate.release(children.size());
            for (Thread waiter : waiters) {
                waiter.join();
            }
        }
        for (int i = 0; i < exits.size(); i++) {
            assertThat(exits.get(i).get()).isEqualTo(i % 7);
        }
    }

    /** Platform threads wait on the child's pidfd themselves, virtual threads park: both must honour interrupts. */
    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void interruptingWaitForThrowsAndLeavesTheChildRunning(boolean virtual) throws Exception {
        Process child = Spawner.start(new ProcessBuilder("cat"));   // runs until its stdin closes
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = (virtual ? Thread.ofVirtual() : Thread.ofPlatform()).start(() -> {
            try {
                child.waitFor();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        Await.blockedIn(waiter, "waitFor");

        waiter.interrupt();
        waiter.join();

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(child.isAlive()).isTrue();
        assertThat(OsProbe.isRunning(child.pid())).isTrue();
        child.getOutputStream().close();
        assertThat(child.waitFor()).isZero();
    }

    @Test
    void theJdksOwnHandleNeverStealsTheExitStatus() throws Exception {
        Process child = Spawner.start(new ProcessBuilder("sh", "-c", "read line; exit 42"));
        ProcessHandle jdkHandle = ProcessHandle.of(child.pid()).orElseThrow();
        CompletableFuture<ProcessHandle> jdkExit = jdkHandle.onExit();
        assertThat(jdkHandle.isAlive()).isTrue();

        child.getOutputStream().close();

        assertThat(child.waitFor()).isEqualTo(42);
        assertThat(jdkExit.get(30, TimeUnit.SECONDS).pid()).isEqualTo(child.pid());
        assertThat(child.toHandle().onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    }
}
