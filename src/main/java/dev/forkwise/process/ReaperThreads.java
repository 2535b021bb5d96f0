package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exit detection with one waiting thread per running child, as {@code ProcessBuilder} does, for
 * children without a pidfd: each blocks in {@code waitid(P_PID, pid, WEXITED | WNOWAIT)}, which
 * returns when the child has exited without reaping it, then completes the process. Threads are
 * daemons with small stacks and are reused, like the JDK's "process reaper" threads.
 */
final class ReaperThreads implements ExitWatcher {

    private static final long STACK_SIZE = 256 * 1024;

    private final ExecutorService threads = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(null, task, "forkwise-reaper-" + count.incrementAndGet(), STACK_SIZE, false);
            thread.setDaemon(true);
            return thread;
        }
    });

    @Override
    public void watch(SpawnedProcess process) throws IOException {
        try {
            threads.execute(() -> {
                awaitExit(process.pid());
                process.exited();
            });
        } catch (Error e) {   // OutOfMemoryError: unable to create native thread; the pool stays usable
            throw InfrastructureThreads.cannotStart("forkwise-reaper", e);
        }
    }

    /** Blocks until {@code pid} has exited; leaves it unreaped. */
    private static void awaitExit(long pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = Libc.allocateSiginfo(arena);
            int result;
            do {
                result = Libc.waitid(forkwise_h.P_PID(), (int) pid, info,
                        forkwise_h.WEXITED() | forkwise_h.WNOWAIT());
            } while (result == -forkwise_h.EINTR());
            // Any other failure (ECHILD: someone else reaped it) also means there is nothing left to wait for.
        }
    }
}
