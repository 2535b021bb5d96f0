package dev.forkwise;

import dev.forkwise.process.EventLoop;
import dev.forkwise.process.OutputPump;
import dev.forkwise.process.SpawnedProcess;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process started by {@link Spawner#start(ProcessBuilder, SpawnOptions)}: a {@link Process} with
 * the behaviour of the one {@code ProcessBuilder} returns, plus control of the process group it
 * leads and the outcome of its deadline.
 *
 * <p>Every {@code Process} method behaves as documented there and as {@link Spawner#start(ProcessBuilder)}
 * describes. This class is thread-safe.
 */
public final class ChildProcess extends Process {

    private final Process process;
    /** The forkwise child, or null where forkwise delegates to ProcessBuilder. */
    private final SpawnedProcess spawned;
    private volatile boolean timedOut;
    private final ProcessOutput stdout;
    private final ProcessOutput stderr;
    /** Where forkwise delegates: the virtual-thread readers of both outputs, started on first claim. */
    private StreamPump[] streamPumps;
    /** Where forkwise delegates: the JDK's output streams as handed out, refusing reads once claimed. */
    private final ClaimableInputStream jdkStdout;
    private final ClaimableInputStream jdkStderr;

    private ChildProcess(Process process) {
        this.process = process;
        this.spawned = process instanceof SpawnedProcess child ? child : null;
        this.stdout = new ProcessOutput(sink -> attach(false, sink), "stdout");
        this.stderr = new ProcessOutput(sink -> attach(true, sink), "stderr");
        this.jdkStdout = spawned == null ? new ClaimableInputStream(process.getInputStream()) : null;
        this.jdkStderr = spawned == null ? new ClaimableInputStream(process.getErrorStream()) : null;
    }

    static ChildProcess of(Process process, SpawnOptions options) {
        ChildProcess child = new ChildProcess(process);
        options.timeout().ifPresent(timeout -> child.armDeadline(timeout, options.gracePeriod()));
        return child;
    }

    /**
     * {@return whether forkwise terminated this process because its deadline passed} It is set when
     * the termination signal is sent; the exit value is then usually 143 (SIGTERM) or 137
     * (SIGKILL), unless the process handles SIGTERM and exits its own way.
     */
    public boolean timedOut() {
        return timedOut;
    }

    /**
     * {@return this process's standard output, to read asynchronously} See {@link ProcessOutput}:
     * once either output is read that way, forkwise reads both.
     */
    public ProcessOutput stdout() {
        return stdout;
    }

    /** {@return this process's standard error, to read asynchronously} See {@link ProcessOutput}. */
    public ProcessOutput stderr() {
        return stderr;
    }

    private void attach(boolean error, OutputPump.Sink sink) {
        if (spawned != null) {
            OutputPump pump = spawned.outputPump(error);
            if (pump == null) {
                sink.end();   // not a pipe: nothing to read, as from ProcessBuilder's null stream
            } else {
                pump.attach(sink);
            }
            return;
        }
        StreamPump[] pumps;
        synchronized (this) {
            (error ? jdkStderr : jdkStdout).claim();
            if (streamPumps == null) {
                streamPumps = new StreamPump[] {startPump(jdkStdout), startPump(jdkStderr)};
            }
            pumps = streamPumps;
        }
        pumps[error ? 1 : 0].attach(sink);
    }

    /** A pump over {@code stream}'s JDK stream, unless the user already reads that one; then a pump that keeps nothing. */
    private static StreamPump startPump(ClaimableInputStream stream) {
        StreamPump pump = new StreamPump(stream.tryClaim() ? stream.source() : InputStream.nullInputStream());
        pump.start();
        return pump;
    }

    /** {@return whether this process was started as the leader of a new process group or session} */
    public boolean isProcessGroupLeader() {
        return spawned != null && spawned.isProcessGroupLeader();
    }

    /**
     * Sends SIGTERM to every process in this process's group: itself, if it has not been reaped,
     * and every descendant that stayed in the group, even after this process has exited.
     *
     * @return whether at least one process received the signal
     * @throws IllegalStateException if this process does not lead a process group
     */
    public boolean destroyProcessGroup() {
        return signalGroup(false);
    }

    /**
     * Sends SIGKILL to every process in this process's group, as {@link #destroyProcessGroup()}
     * sends SIGTERM.
     *
     * @return this process
     * @throws IllegalStateException if this process does not lead a process group
     */
    public ChildProcess destroyProcessGroupForcibly() {
        signalGroup(true);
        return this;
    }

    private boolean signalGroup(boolean force) {
        if (!isProcessGroupLeader()) {
            throw new IllegalStateException("process " + pid() + " does not lead a process group");
        }
        return spawned.signalProcessGroup(force);
    }

    /** SIGTERM at the deadline, SIGKILL a grace period later; cancelled when the process exits first. */
    private void armDeadline(Duration timeout, Duration gracePeriod) {
        Runnable cancel = schedule(timeout, () -> {
            if (timeOut()) {
                schedule(gracePeriod, this::kill);
            }
        });
        if (spawned != null) {
            spawned.whenExited(cancel);
        } else {
            process.onExit().thenRun(cancel);
        }
    }

    /**
     * Marks this process timed out and sends SIGTERM, unless it has exited; {@return whether it
     * had not}. The mark is set before the signal, so a waiter woken by the exit sees it.
     */
    private boolean timeOut() {
        if (spawned != null) {
            return spawned.terminateUnlessExited(() -> timedOut = true);
        }
        if (!process.isAlive()) {
            return false;
        }
        timedOut = true;
        if (!process.toHandle().destroy()) {   // unlike Process.destroy, leaves the streams open
            timedOut = false;
            return false;
        }
        return true;
    }

    /** Sends SIGKILL to the group this process leads (even after it has exited), or else to the process alone. */
    private void kill() {
        if (isProcessGroupLeader()) {
            spawned.signalProcessGroup(true);
        } else if (spawned != null) {
            spawned.signal(true);
        } else {
            process.toHandle().destroyForcibly();   // unlike Process.destroyForcibly, leaves the streams open
        }
    }

    /** Runs {@code action} after {@code delay}, on the watcher thread where forkwise runs its children; {@return a canceller}. */
    private Runnable schedule(Duration delay, Runnable action) {
        if (spawned != null) {
            EventLoop.Timer timer = EventLoop.instance().schedule(delay.toNanos(), TimeUnit.NANOSECONDS, action);
            return timer::cancel;
        }
        CompletableFuture<Void> timer = CompletableFuture.runAsync(action,
                CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS, Runnable::run));
        return () -> timer.cancel(false);
    }

    @Override
    public OutputStream getOutputStream() {
        return process.getOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return spawned != null ? spawned.getInputStream() : jdkStdout;
    }

    @Override
    public InputStream getErrorStream() {
        return spawned != null ? spawned.getErrorStream() : jdkStderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit);
    }

    @Override
    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void destroy() {
        process.destroy();
    }

    @Override
    public ChildProcess destroyForcibly() {
        process.destroyForcibly();
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return process.supportsNormalTermination();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return process.onExit().thenApply(ignored -> this);
    }

    @Override
    public String toString() {
        return process.toString();
    }
}
