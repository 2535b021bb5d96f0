package dev.forkwise.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A child started by {@code ProcessBuilder.start()}, where forkwise cannot use {@code posix_spawn}
 * (see {@link Launcher#fallbackReason()}). The JDK creates, watches and signals it; forkwise adds
 * what the API promises beyond {@code Process}: its outputs follow {@link OutputClaims}' rule and
 * are pumped by a {@link ThreadPump} each, deadlines run on one {@code forkwise-deadline} thread,
 * which leaves once no deadline is queued.
 *
 * <p>What differs from a {@link SpawnedProcess}, because the JDK's process cannot do it: no process
 * group of its own; an output ends when every holder of the pipe has closed it, grandchildren
 * included; a child that exits by itself between the deadline's zombie check and its signal is
 * still marked timed out (the JDK reaps without a lock this class could share).
 */
final class DelegatedProcess implements Child {

    /**
     * The deadlines of delegated children. Not {@code CompletableFuture.delayedExecutor}: cancelling
     * the future it returns leaves the scheduled task, and the action holding the child, queued
     * until it is due; here a cancelled deadline leaves the queue at once.
     */
    private static final class Deadlines {
        static final ScheduledThreadPoolExecutor SCHEDULER = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                    Thread.ofPlatform().name("forkwise-deadline").daemon().factory());
            scheduler.setRemoveOnCancelPolicy(true);
            scheduler.setKeepAliveTime(10, TimeUnit.SECONDS);
            scheduler.allowCoreThreadTimeOut(true);
            return scheduler;
        }
    }

    private final Process process;
    private final DelegatedOutput stdout;
    private final DelegatedOutput stderr;
    private final OutputClaims claims;

    DelegatedProcess(Process process) {
        this.process = process;
        this.stdout = new DelegatedOutput(process.getInputStream());
        this.stderr = new DelegatedOutput(process.getErrorStream());
        this.claims = new OutputClaims(stdout, stderr);
    }

    @Override
    public Process process() {
        return process;
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
    public boolean leadsGroup() {
        return false;
    }

    @Override
    public boolean signalGroup(boolean force) {
        throw new IllegalStateException("process " + process.pid() + " does not lead a process group");
    }

    @Override
    public boolean terminateUnlessExited(Runnable beforeSignal) {
        if (!process.isAlive() || hasExited(process.pid())) {
            return false;   // exited, reaped by the JDK or not yet
        }
        beforeSignal.run();
        return process.toHandle().destroy();   // unlike Process.destroy, leaves the streams open
    }

    @Override
    public boolean kill() {
        return process.toHandle().destroyForcibly();   // unlike Process.destroyForcibly, leaves the streams open
    }

    @Override
    public Runnable schedule(Duration delay, Runnable action) {
        ScheduledFuture<?> timer = Deadlines.SCHEDULER.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> timer.cancel(false);
    }

    /**
     * {@return whether the child {@code pid} has exited}: it is a zombie the JDK has not reaped
     * yet, or it is gone. Read from {@code /proc}, with no native call: forkwise may delegate
     * because it cannot make any. Asked only once the JDK has reported the child alive, so the pid
     * was still the child's; if the JDK reaps meanwhile, the child has exited either way.
     */
    static boolean hasExited(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (NoSuchFileException gone) {
            return Files.isDirectory(Path.of("/proc/self"));   // reaped meanwhile, unless there is no /proc
        } catch (IOException | RuntimeException unreadable) {
            return false;   // no /proc: the signal decides
        }
        int afterName = stat.lastIndexOf(')');   // the command name may hold spaces and parentheses
        return afterName >= 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) == 'Z';
    }

    @Override
    public void whenExited(Runnable action) {
        process.onExit().thenRun(action);
    }
}
