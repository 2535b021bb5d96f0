package dev.forkwise;

import dev.forkwise.process.Child;
import dev.forkwise.process.DeadlineRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
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
    /** Completes when the options' input has been written and standard input closed; set once, in {@link #of}. */
    private CompletableFuture<Void> inputFed;

    private ChildProcess(Child child) {
        this.child = child;
        this.process = child.process();
        this.stdout = new ProcessOutput(sink -> child.claimOutput(false).attach(sink), "stdout");
        this.stderr = new ProcessOutput(sink -> child.claimOutput(true).attach(sink), "stderr");
    }

    /**
     * Wraps a started child and applies {@code options}: its deadline, destruction at JVM exit,
     * and the feeding of its standard input. Output lines are the caller's to attach.
     */
    static ChildProcess of(Child child, SpawnOptions options) {
        ChildProcess process = new ChildProcess(child);
        options.timeout().ifPresent(timeout -> process.armDeadline(timeout, options.gracePeriod()));
        if (options.destroysOnExit()) {
            ExitHook.register(process);
        }
        process.inputFed = options.input().map(process::feed).orElse(CompletableFuture.completedFuture(null));
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
     * A child that leads no group takes its descendants with it: they are listed on a virtual
     * thread (a walk of /proc is too slow for the watcher thread), before the child is signalled,
     * because once it has exited they are no longer its descendants.
     */
    private void armDeadline(Duration timeout, Duration gracePeriod) {
        Runnable cancel = child.schedule(timeout, child.leadsGroup()
                ? () -> terminateAtDeadline(List.of(), timeout, gracePeriod)
                : () -> Thread.ofVirtual().name("forkwise-deadline-" + pid())
                        .start(() -> terminateAtDeadline(process.descendants().toList(), timeout, gracePeriod)));
        child.whenExited(cancel);
    }

    private void terminateAtDeadline(List<ProcessHandle> descendants, Duration timeout, Duration gracePeriod) {
        if (child.terminateUnlessExited(() -> timedOut = true)) {
            descendants.forEach(ProcessHandle::destroy);
            DeadlineRecord.signalled(pid(), timeout, gracePeriod, false, child.leadsGroup(), descendants.size());
            child.schedule(gracePeriod, () -> {
                if (child.kill()) {
                    DeadlineRecord.signalled(pid(), timeout, gracePeriod, true, child.leadsGroup(), descendants.size());
                }
                if (!descendants.isEmpty()) {   // each signal reads /proc for the start time: not on the watcher
                    Thread.ofVirtual().name("forkwise-deadline-" + pid())
                            .start(() -> descendants.forEach(ProcessHandle::destroyForcibly));
                }
            });
        }
    }

    /**
     * Sends SIGTERM to this process and its tree, as a deadline does, unless it has exited: for
     * the shutdown hook of {@link SpawnOptions#destroyOnExit()}. Does not wait.
     */
    void destroyTree() {
        if (child.leadsGroup()) {
            child.signalGroup(false);
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
    }

    /** Runs {@code action} once this process has exited and been reaped; it must not block. */
    void whenExited(Runnable action) {
        child.whenExited(action);
    }

    /** {@return a future completed when the options' input has been fed}; failed if it could not be read */
    CompletableFuture<Void> inputFed() {
        return inputFed;
    }

    /**
     * Writes what {@code input} holds to standard input on a virtual thread, then closes it. A
     * write that fails means the child stopped reading, which is its right: the rest is dropped.
     * A read that fails is the input's fault and fails the future.
     */
    private CompletableFuture<Void> feed(SpawnOptions.Input input) {
        CompletableFuture<Void> fed = new CompletableFuture<>();
        OutputStream stdin = process.getOutputStream();
        Thread.ofVirtual().name("forkwise-input-" + pid()).start(() -> {
            IOException readFailure = null;
            try (InputStream source = input.open()) {
                byte[] buffer = new byte[8192];
                for (int length; (length = source.read(buffer)) >= 0; ) {
                    try {
                        stdin.write(buffer, 0, length);
                    } catch (IOException childStoppedReading) {
                        break;
                    }
                }
            } catch (IOException e) {
                readFailure = e;
            }
            try {
                stdin.close();
            } catch (IOException childStoppedReading) {
                // what was buffered is dropped, as above
            }
            if (readFailure == null) {
                fed.complete(null);
            } else {
                fed.completeExceptionally(readFailure);
            }
        });
        return fed;
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
