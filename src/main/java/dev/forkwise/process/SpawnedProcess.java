package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.PosixSpawn;
import dev.forkwise.spawn.SpawnRequest;
import dev.forkwise.spawn.SpawnedChild;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A child started by forkwise, with the behaviour of the {@code Process} that
 * {@code ProcessBuilder.start()} returns on Linux.
 *
 * <p>The child is reaped under {@link #lock}, and signals are sent under it only while the child is
 * unreaped: until it is reaped, even a dead child keeps its pid, so a signal can never reach an
 * unrelated process that reused the number.
 */
public final class SpawnedProcess extends Process {

    private static final ExitWatcher WATCHER = new ReaperThreads();

    private final int pid;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final ChildHandle handle;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition exited = lock.newCondition();
    /** Guarded by lock: the pid was given back to the kernel. */
    private boolean reaped;
    /** Guarded by lock: the exit value is known and the streams have given back their descriptors. */
    private boolean hasExited;
    /** Guarded by lock: valid once hasExited. */
    private int exitValue;

    private SpawnedProcess(SpawnedChild child) {
        this.pid = child.pid();
        this.stdin = child.stdin() == null ? NullStreams.OUTPUT : new ProcessOutputStream(child.stdin());
        this.stdout = child.stdout() == null ? NullStreams.INPUT : new ProcessInputStream(child.stdout());
        this.stderr = child.stderr() == null ? NullStreams.INPUT : new ProcessInputStream(child.stderr());
        this.handle = new ChildHandle(this);
    }

    /**
     * Starts the child {@code request} describes and begins watching for its exit.
     *
     * @throws IOException as {@link PosixSpawn#start} does
     */
    public static SpawnedProcess start(SpawnRequest request) throws IOException {
        SpawnedProcess process = new SpawnedProcess(PosixSpawn.start(request));
        WATCHER.watch(process);
        return process;
    }

    /** {@return how this layer detects exits} */
    public static String exitWatching() {
        return WATCHER.description();
    }

    /** Reaps the exited child, releases its streams' descriptors, then wakes every waiter. */
    void reap() {
        int value;
        lock.lock();
        try {
            value = waitForStatus();
            reaped = true;
        } finally {
            lock.unlock();
        }
        if (stdout instanceof ProcessInputStream in) {
            in.processExited();
        }
        if (stderr instanceof ProcessInputStream in) {
            in.processExited();
        }
        if (stdin instanceof ProcessOutputStream out) {
            out.processExited();
        }
        lock.lock();
        try {
            exitValue = value;
            hasExited = true;
            exited.signalAll();
        } finally {
            lock.unlock();
        }
        exit.complete(value);
    }

    /** Reaps the child; {@return its exit value as {@code ProcessBuilder} reports it}. */
    private int waitForStatus() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            int result;
            do {
                result = Libc.waitpid(pid, status, 0);
            } while (result == -forkwise_h.EINTR());
            // ECHILD: code outside forkwise reaped it; ProcessBuilder reports 0 then too.
            return result > 0 ? exitValueOf(status.get(ValueLayout.JAVA_INT, 0)) : 0;
        }
    }

    /** {@return the exit code, or 128 + the signal number for a child killed by a signal} */
    static int exitValueOf(int waitStatus) {
        int signal = waitStatus & 0x7f;
        if (signal == 0) {
            return (waitStatus >> 8) & 0xff;
        }
        return signal != 0x7f ? 0x80 + signal : waitStatus;
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
        lock.lock();
        try {
            while (!hasExited) {
                exited.await();
            }
            return exitValue;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        long remaining = unit.toNanos(timeout);   // NullPointerException before anything else, as the JDK
        lock.lock();
        try {
            while (!hasExited && remaining > 0) {
                remaining = exited.awaitNanos(remaining);
            }
            return hasExited;
        } finally {
            lock.unlock();
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
        return pid;
    }

    @Override
    public ProcessHandle toHandle() {
        return handle;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        // Dependent actions run on the common pool, never on the thread that detected the exit.
        return exit.thenApplyAsync(ignored -> this);
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

    /** Sends SIGTERM or SIGKILL; {@return whether the child was still there to receive it} */
    boolean signal(boolean force) {
        lock.lock();
        try {
            return !reaped && Libc.kill(pid, force ? forkwise_h.SIGKILL() : forkwise_h.SIGTERM()) == 0;
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
            return "Process[pid=" + pid + ", exitValue=" + (hasExited ? exitValue : "\"not exited\"") + "]";
        } finally {
            lock.unlock();
        }
    }
}
