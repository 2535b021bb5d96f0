package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting for children: from many virtual threads, through {@code onExit()}, and interrupted. */
@Tag("watcher")
class WaitForTest {

    @Test
    void aThousandVirtualThreadsWaitForTheirChildrenAtOnce() throws Exception {
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            children.add(Spawner.start(new ProcessBuilder("sh", "-c", "sleep 1; exit " + (i % 7)).inheritIO()));
        }
        List<Future<Integer>> exits = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Process child : children) {
                exits.add(threads.submit(() -> child.waitFor()));
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
        Process child = Spawner.start(new ProcessBuilder("sleep", "30"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = (virtual ? Thread.ofVirtual() : Thread.ofPlatform()).start(() -> {
            try {
                child.waitFor();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        Thread.sleep(200);   // let it wait (a platform thread waits in poll(2), RUNNABLE to the JVM)

        waiter.interrupt();
        waiter.join();

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(child.isAlive()).isTrue();
        assertThat(OsProbe.isRunning(child.pid())).isTrue();
        child.destroyForcibly().waitFor();
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
