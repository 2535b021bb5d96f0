package dev.forkwise;

import dev.forkwise.process.Child;

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

    private final Child child;
    private final Process process;
    private final ProcessOutput stdout;
    private final ProcessOutput stderr;
    private volatile boolean timedOut;

    private ChildProcess(Child child) {
        this.child = child;
        this.process = child.process();
        this.stdout = new ProcessOutput(sink -> child.claimOutput(false).attach(sink), "stdout");
        this.stderr = new ProcessOutput(sink -> child.claimOutput(true).attach(sink), "stderr");
    }

    static ChildProcess of(Child child, SpawnOptions options) {
        ChildProcess process = new ChildProcess(child);
        options.timeout().ifPresent(timeout -> process.armDeadline(timeout, options.gracePeriod()));
        return process;
    }

    /**
     * {@return whether forkwise terminated this process because its deadline passed} It is set
     * just before the termination signal is sent, and never once the exit has been seen, so a
     * thread that {@link #waitFor() waits} for an exit the signal caused sees it set. The exit
     * value is then usually 143 (SIGTERM) or 137 (SIGKILL), unless the process handles SIGTERM
     * and exits its own way. A process that had exited by itself when its deadline came is never
     * marked, even if its exit had not been handled yet; one that exits by itself in the instant
     * between that check and the signal is marked all the same.
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

    /** {@return whether this process was started as the leader of a new process group or session} */
    public boolean isProcessGroupLeader() {
        return child.leadsGroup();
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
        if (!child.leadsGroup()) {
            throw new IllegalStateException("process " + pid() + " does not lead a process group");
        }
        return child.signalGroup(force);
    }

    /**
     * SIGTERM at the deadline, SIGKILL a grace period later; cancelled when the process exits
     * first. The timed-out mark is set before the signal, so a waiter woken by the exit sees it.
     */
    private void armDeadline(Duration timeout, Duration gracePeriod) {
        Runnable cancel = child.schedule(timeout, () -> {
            if (child.terminateUnlessExited(() -> timedOut = true)) {
                child.schedule(gracePeriod, child::kill);
            }
        });
        child.whenExited(cancel);
    }

    @Override
    public OutputStream getOutputStream() {
        return process.getOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return child.stdout();
    }

    @Override
    public InputStream getErrorStream() {
        return child.stderr();
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
