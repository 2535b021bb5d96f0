package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.Descriptor;
import dev.forkwise.spawn.ProcessGroupMode;
import dev.forkwise.spawn.SpawnRequest;
import dev.forkwise.spawn.SpawnedChild;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.time.Duration;
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
final class SpawnedProcess extends Process implements Child {

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
    private final OutputClaims claims;
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
    /** The JFR record of the exit, begun with the child. */
    private final ExitRecord exitRecord = ExitRecord.begin();

    private SpawnedProcess(SpawnedChild spawned, ChildReference child, SpawnRequest request) {
        this.child = child;
        this.groupLeader = request.processGroup() != ProcessGroupMode.INHERIT;
        this.stdin = spawned.stdin() == null ? NullStreams.OUTPUT : new ChildStdin(spawned.stdin());
        boolean toNextChild = request.stdout().toNextChild();
        this.pipelineOutput = toNextChild ? spawned.stdout() : null;
        ChildOutput out = spawned.stdout() == null || toNextChild ? null : new ChildOutput(spawned.stdout());
        ChildOutput err = spawned.stderr() == null ? null : new ChildOutput(spawned.stderr());
        this.stdout = out == null ? NullStreams.INPUT : out;
        this.stderr = err == null ? NullStreams.INPUT : err;
        this.claims = new OutputClaims(out, err);
        this.handle = new ChildHandle(this);
    }

    /**
     * {@return the process of the child {@code spawned}, started for {@code request}}, whose exit
     * is watched from now on: through its pidfd on the event loop, or, without one, by a thread of
     * its own. The watching is created here, after the spawn, so that a start that fails earlier
     * creates none of it.
     *
     * @throws IOException if the watching cannot be set up (no descriptor, memory or thread); the
     *                     child is then killed and reaped, and its descriptors are closed
     */
    static SpawnedProcess watch(SpawnedChild spawned, SpawnRequest request) throws IOException {
        SpawnedProcess process = unwatched(spawned, request);
        try {
            (process.child instanceof PidfdReference ? Watchers.PIDFD : Watchers.THREADS).watch(process);
        } catch (IOException | RuntimeException | Error e) {
            process.destroy(true);
            process.exited();   // reaps
            if (process.pipelineOutput != null) {
                process.pipelineOutput.close();
            }
            throw e;
        }
        return process;
    }

    /**
     * {@return the process of the child {@code spawned}, whose exit nobody watches yet}; tests use
     * it for a child that has exited and not been reaped, and call {@link #exited()} themselves.
     *
     * @throws IOException if the cleaner its streams need cannot start; the child is then killed
     *                     and reaped, and its descriptors are closed
     */
    static SpawnedProcess unwatched(SpawnedChild spawned, SpawnRequest request) throws IOException {
        ChildReference child = spawned.pidfd() != null
                ? new PidfdReference(spawned.pid(), spawned.pidfd())
                : new PidReference(spawned.pid());
        try {
            DescriptorCleaner.start();
        } catch (IOException | RuntimeException | Error e) {
            child.signal(forkwise_h.SIGKILL());
            child.reap();
            for (Descriptor end : new Descriptor[] {spawned.stdin(), spawned.stdout(), spawned.stderr()}) {
                if (end != null) {
                    end.close();
                }
            }
            throw e;
        }
        return new SpawnedProcess(spawned, child, request);
    }

    /**
     * {@return the read end of this child's stdout pipe, when it was started with
     * {@link dev.forkwise.spawn.ChildStdio#PIPE_TO_NEXT_CHILD}}, for the next child of a pipeline
     * (its {@link #getInputStream()} is then a null stream); the caller owns it. Null otherwise.
     */
    Descriptor pipelineOutput() {
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
        int ending;
        int value;
        lock.lock();   // the reap and its report are one step: terminateUnlessExited sees both or neither
        try {
            ending = child.reap();   // does not wait: the child has exited
            value = ChildReference.exitValue(ending);
            exitValue = value;
            hasExited = true;
            exitedCondition.signalAll();
        } finally {
            lock.unlock();
        }
        exitRecord.exited(child.pid(), ending);   // before onExit() completes
        exit.complete(value);
        if (stdout instanceof ChildOutput out) {
            out.processExited();
        }
        if (stderr instanceof ChildOutput err) {
            err.processExited();
        }
        if (stdin instanceof ChildStdin out) {
            out.processExited();
        }
    }

    @Override
    public Process process() {
        return this;
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public InputStream stderr() {
        return stderr;
    }

    @Override
    public OutputPump claimOutput(boolean error) {
        return claims.claim(error);
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

    /** Runs {@code action} on the thread that detected the exit, or at once if it has been detected. */
    @Override
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

    /**
     * Signals the child unless it has been reaped, then closes its streams, as {@code ProcessBuilder}'s
     * does: a read of stdout or stderr in progress ends as the pipe's read does ({@link ChildOutput#closeAfterRead}).
     */
    private void destroy(boolean force) {
        signal(force);
        closeQuietly(stdin);
        closeAfterRead(stdout);
        closeAfterRead(stderr);
    }

    /** Closes an output stream for {@link #destroy(boolean)}, letting a read in progress end as the pipe's does. */
    private static void closeAfterRead(InputStream stream) {
        if (stream instanceof ChildOutput output) {
            output.closeAfterRead();
        } else {
            closeQuietly(stream);
        }
    }

    /** Sends SIGTERM or SIGKILL to the child; {@return whether it was still there to receive it} */
    boolean signal(boolean force) {
        return child.signal(force ? forkwise_h.SIGKILL() : forkwise_h.SIGTERM());
    }

    @Override
    public boolean leadsGroup() {
        return groupLeader;
    }

    /**
     * {@inheritDoc}
     *
     * <p>While the child is unreaped its pid, which is the group's id, cannot be reused, so the
     * signal reaches only this group. After it has been reaped, the id stays reserved as long as
     * any member of the group lives; once none does, the kernel reports that no such group exists.
     */
    @Override
    public boolean signalGroup(boolean force) {
        if (!groupLeader) {
            throw new IllegalStateException("process " + pid() + " does not lead a process group");
        }
        return Libc.kill(-child.pid(), force ? forkwise_h.SIGKILL() : forkwise_h.SIGTERM()) == 0;
    }

    @Override
    public boolean terminateUnlessExited(Runnable beforeSignal) {
        lock.lock();
        try {
            if (hasExited || child.hasExited()) {
                return false;   // exited by itself, reaped or not yet: the watcher reaps it
            }
            beforeSignal.run();
            return groupLeader ? signalGroup(false) : signal(false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean kill() {
        return groupLeader ? signalGroup(true) : signal(true);
    }

    /** Runs {@code action} on the event loop's thread after {@code delay}. */
    @Override
    public Runnable schedule(Duration delay, Runnable action) {
        EventLoop.Timer timer = EventLoop.instanceUnchecked().schedule(delay.toNanos(), TimeUnit.NANOSECONDS, action);
        return timer::cancel;
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
