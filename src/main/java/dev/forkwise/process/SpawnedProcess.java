package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.ChildStdio;
import dev.forkwise.spawn.Descriptor;
import dev.forkwise.spawn.Pidfds;
import dev.forkwise.spawn.PosixSpawn;
import dev.forkwise.spawn.ProcessGroupMode;
import dev.forkwise.spawn.SpawnRequest;
import dev.forkwise.spawn.SpawnedChild;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A child started by forkwise, with the behaviour of the {@code Process} that
 * {@code ProcessBuilder.start()} returns on Linux.
 *
 * <p>Its exit is detected by the {@link EventLoop}'s one thread through the child's pidfd (or,
 * without a pidfd, by a waiting thread of {@link ReaperThreads}); signals go through its
 * {@link ChildReference} and so can never reach a process that reused its pid. A pipe descriptor
 * whose stream becomes unreachable is closed by the {@link DescriptorCleaner}; each closes once.
 */
public final class SpawnedProcess extends Process {

    private static final class Watchers {
        static final ExitWatcher PIDFD = new PidfdWatcher();
        static final ExitWatcher THREADS = new ReaperThreads();
    }

    private static final int INTERRUPT_CHECK_MILLIS = 50;

    private final ChildReference child;
    private final boolean groupLeader;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final ChildHandle handle;
    /** The read end of the stdout pipe, for the next child of a pipeline; null otherwise. */
    private final Descriptor pipelineOutput;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /** Set by whoever reaps the child: the watcher, or a platform thread in {@link #waitFor}. */
    private final AtomicBoolean reaping = new AtomicBoolean();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition exitedCondition = lock.newCondition();
    /** Guarded by lock: the child has been reaped and its exit value is known. */
    private boolean hasExited;
    /** Guarded by lock: valid once hasExited. */
    private int exitValue;
    /** Guarded by lock: whether the outputs have been offered to pumps. */
    private boolean pumping;

    private SpawnedProcess(SpawnedChild spawned, ChildReference child, SpawnRequest request) {
        this.child = child;
        this.groupLeader = request.processGroup() != ProcessGroupMode.INHERIT;
        this.stdin = spawned.stdin() == null ? NullStreams.OUTPUT : new ProcessOutputStream(spawned.stdin());
        boolean toNextChild = request.stdout() == ChildStdio.PIPE_TO_NEXT_CHILD;
        this.pipelineOutput = toNextChild ? spawned.stdout() : null;
        this.stdout = spawned.stdout() == null || toNextChild ? NullStreams.INPUT : new ProcessInputStream(spawned.stdout());
        this.stderr = spawned.stderr() == null ? NullStreams.INPUT : new ProcessInputStream(spawned.stderr());
        this.handle = new ChildHandle(this);
    }

    /**
     * Starts the child {@code request} describes and begins watching for its exit.
     *
     * @throws IOException as {@link PosixSpawn#start} does
     */
    public static SpawnedProcess start(SpawnRequest request) throws IOException {
        SpawnedChild spawned = PosixSpawn.start(request);
        ChildReference child = spawned.pidfd() != null
                ? new PidfdReference(spawned.pid(), spawned.pidfd())
                : new PidReference(spawned.pid());
        SpawnedProcess process = new SpawnedProcess(spawned, child, request);
        if (child instanceof PidfdReference) {
            try {
                Watchers.PIDFD.watch(process);
                return process;
            } catch (UncheckedIOException refused) {
                // epoll refused one more descriptor: wait for this child on a thread instead
            }
        }
        Watchers.THREADS.watch(process);
        return process;
    }

    /** {@return how this layer detects exits} */
    public static String exitWatching() {
        return Pidfds.supported()
                ? "pidfd + epoll on one watcher thread"
                : "one waiting thread per child (waitid; no pidfd on this kernel or forced)";
    }

    /**
     * {@return the read end of this child's stdout pipe, when it was started with
     * {@link ChildStdio#PIPE_TO_NEXT_CHILD}}, for the next child of a pipeline (its
     * {@link #getInputStream()} is then a null stream); the caller owns it. Null otherwise.
     */
    public Descriptor pipelineOutput() {
        return pipelineOutput;
    }

    ChildReference child() {
        return child;
    }

    /**
     * Reaps the exited child, wakes every waiter, then lets the streams give back their
     * descriptors (as {@code ProcessBuilder}'s reaper does, in that order). Never blocks. Called by
     * the watcher and by a platform thread waiting on the pidfd itself; the first one reaps, a later
     * call does nothing.
     */
    void exited() {
        if (!reaping.compareAndSet(false, true)) {
            return;
        }
        int value = child.reap();
        lock.lock();
        try {
            exitValue = value;
            hasExited = true;
            exitedCondition.signalAll();
        } finally {
            lock.unlock();
        }
        exit.complete(value);
        if (stdout instanceof ProcessInputStream in) {
            in.processExited();
        }
        if (stderr instanceof ProcessInputStream in) {
            in.processExited();
        }
        if (stdin instanceof ProcessOutputStream out) {
            out.processExited();
        }
    }

    /**
     * {@return the pump that reads standard output ({@code error} false) or standard error on the
     * event loop}, or {@code null} if that output is not a pipe. The first call hands both outputs
     * to pumps (the other one only if its stream is unused), so that a child never blocks on the
     * output nobody reads; each stream refuses reads from then on.
     *
     * @throws IllegalStateException if the requested output was already read through its stream
     */
    public OutputPump outputPump(boolean error) {
        InputStream requested = error ? stderr : stdout;
        lock.lock();
        try {
            if (!pumping) {
                pumping = true;
                InputStream other = error ? stdout : stderr;
                if (other instanceof ProcessInputStream stream) {
                    stream.tryHandOver();
                }
            }
        } finally {
            lock.unlock();
        }
        return requested instanceof ProcessInputStream stream ? stream.handOver() : null;
    }

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        awaitExitOnPidfd(Long.MAX_VALUE);
        lock.lock();
        try {
            while (!hasExited) {
                exitedCondition.await();
            }
            return exitValue;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        long remaining = unit.toNanos(timeout);   // NullPointerException before anything else, as the JDK
        long start = System.nanoTime();
        awaitExitOnPidfd(remaining);
        remaining -= System.nanoTime() - start;
        lock.lock();
        try {
            while (!hasExited && remaining > 0) {
                remaining = exitedCondition.awaitNanos(remaining);
            }
            return hasExited;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lets a platform thread wait for the exit on the child's pidfd itself, and reap, instead of
     * waiting for the watcher thread to do it and wake it: one thread hand-off less on the way from
     * the child's exit to {@code waitFor} returning. It polls in slices, so that an interrupt ends
     * the wait within {@value #INTERRUPT_CHECK_MILLIS} ms with {@code InterruptedException}, as the
     * watcher's wake-up would. Virtual threads park instead, which does not pin their carrier.
     */
    private void awaitExitOnPidfd(long nanos) throws InterruptedException {
        if (Thread.currentThread().isVirtual() || !(child instanceof PidfdReference pidfd) || reaping.get()) {
            return;
        }
        long deadline = System.nanoTime() + nanos;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            int slice = (int) Math.min(INTERRUPT_CHECK_MILLIS, TimeUnit.NANOSECONDS.toMillis(remaining) + 1);
            if (pidfd.awaitExit(slice)) {
                exited();
                return;
            }
        }
    }

    @Override
    public int exitValue() {
        lock.lock();
        try {
            if (!hasExited) {
                throw new IllegalThreadStateException("process hasn't exited");
            }
            return exitValue;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isAlive() {
        lock.lock();
        try {
            return !hasExited;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long pid() {
        return child.pid();
    }

    @Override
    public ProcessHandle toHandle() {
        return handle;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        // Dependent actions run on the common pool, never on the thread that watches every child.
        return exit.thenApplyAsync(ignored -> this);
    }

    /**
     * Runs {@code action} once the child has exited and been reaped: on the thread that detected
     * the exit, or at once if that has happened. The action must not block.
     */
    public void whenExited(Runnable action) {
        exit.thenRun(action);
    }

    /** {@return a future completed with this process's handle when it exits} */
    CompletableFuture<ProcessHandle> onHandleExit() {
        return exit.thenApplyAsync(ignored -> handle);
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public void destroy() {
        destroy(false);
    }

    @Override
    public Process destroyForcibly() {
        destroy(true);
        return this;
    }

    /** Signals the child unless it has been reaped, then closes its streams, as {@code ProcessBuilder}'s does. */
    private void destroy(boolean force) {
        signal(force);
        closeQuietly(stdin);
        closeQuietly(stdout);
        closeQuietly(stderr);
    }

    /** Sends SIGTERM or SIGKILL to the child; {@return whether it was still there to receive it} */
    public boolean signal(boolean force) {
        return child.signal(force ? forkwise_h.SIGKILL() : forkwise_h.SIGTERM());
    }

    /** {@return whether the child was started as the leader of a new process group or session} */
    public boolean isProcessGroupLeader() {
        return groupLeader;
    }

    /**
     * Sends SIGTERM or SIGKILL to every process in the child's process group: the child and every
     * descendant that did not leave the group.
     *
     * <p>While the child is unreaped its pid, which is the group's id, cannot be reused, so the
     * signal reaches only this group. After it has been reaped, the id stays reserved as long as
     * any member of the group lives; once none does, the kernel reports that no such group exists.
     *
     * @return whether at least one process received the signal
     * @throws IllegalStateException if the child was not started as a group leader
     */
    public boolean signalProcessGroup(boolean force) {
        if (!groupLeader) {
            throw new IllegalStateException("process " + pid() + " was not started as a process group leader");
        }
        return Libc.kill(-child.pid(), force ? forkwise_h.SIGKILL() : forkwise_h.SIGTERM()) == 0;
    }

    /**
     * Sends SIGTERM to the child, or to its whole group if it leads one, unless its exit has been
     * reported; {@code beforeSignal} runs first, under the same lock that reports the exit, so
     * whatever it records is visible to anyone who sees the exit that the signal causes.
     *
     * @return whether the signal was sent
     */
    public boolean terminateUnlessExited(Runnable beforeSignal) {
        lock.lock();
        try {
            if (hasExited) {
                return false;
            }
            beforeSignal.run();
            return groupLeader ? signalProcessGroup(false) : signal(false);
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(AutoCloseable stream) {
        try {
            stream.close();
        } catch (Exception ignored) {
            // destroy() does not report close failures, as ProcessBuilder's does not
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Process[pid=" + pid() + ", exitValue=" + (hasExited ? exitValue : "\"not exited\"") + "]";
        } finally {
            lock.unlock();
        }
    }
}
