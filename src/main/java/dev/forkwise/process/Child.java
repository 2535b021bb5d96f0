package dev.forkwise.process;

import java.io.InputStream;
import java.time.Duration;

/**
 * A started child, as the public API sees it: the one seam between the API and the two ways a
 * child can be created. The API holds a {@code Child} and never asks which kind it has.
 *
 * <table class="striped">
 * <caption>the kinds of child</caption>
 * <tr><th>kind</th><th>created by</th><th>exit detected by</th><th>outputs pumped by</th><th>process groups</th></tr>
 * <tr><td>{@link SpawnedProcess}</td><td>{@code posix_spawn}</td><td>the {@link EventLoop}
 *     (pidfd), or a {@link ReaperThreads} thread</td><td>{@link LoopPump}</td><td>yes</td></tr>
 * <tr><td>{@link DelegatedProcess}</td><td>{@code ProcessBuilder.start()}</td><td>the JDK</td>
 *     <td>{@link ThreadPump}</td><td>no: {@code ProcessBuilder} cannot create one</td></tr>
 * </table>
 *
 * <p>Implementations are thread-safe.
 */
public sealed interface Child permits SpawnedProcess, DelegatedProcess {

    /**
     * {@return {@code process} as a child}: itself if forkwise spawned it, else a child that
     * delegates to it, as for a stage of a pipeline that {@code ProcessBuilder} started
     *
     * @param process a process returned by {@link Launcher}
     */
    static Child of(Process process) {
        return process instanceof Child child ? child : new DelegatedProcess(process);
    }

    /** {@return the process whose {@code Process} methods the API forwards to} */
    Process process();

    /** {@return the standard output as an {@code InputStream}, as {@code Process.getInputStream()} hands it out} */
    InputStream stdout();

    /** {@return the standard error as an {@code InputStream}, as {@code Process.getErrorStream()} hands it out} */
    InputStream stderr();

    /**
     * Claims standard output ({@code error} false) or standard error for a pump, by
     * {@link OutputClaims}' rule: the first claim hands both outputs over.
     *
     * @param error whether standard error is meant
     * @return the output's pump; one that ends at once if the output is not a pipe
     * @throws IllegalStateException if the output was already read or closed through its stream
     */
    OutputPump claimOutput(boolean error);

    /** {@return whether the child was started as the leader of a new process group or session} */
    boolean leadsGroup();

    /**
     * Sends SIGTERM or SIGKILL to every process in the group the child leads, even after the
     * child has been reaped, as long as a member lives.
     *
     * @param force SIGKILL rather than SIGTERM
     * @return whether at least one process received the signal
     * @throws IllegalStateException if the child does not lead a group
     */
    boolean signalGroup(boolean force);

    /**
     * Sends SIGTERM to the child, or to its group if it leads one, unless it has exited.
     * A child that has exited counts as exited before it is reaped: a zombie is not signalled.
     * {@code beforeSignal} runs just before the signal is sent, and, for a spawned child, under
     * the lock that reaps and reports the exit, so whatever it records is visible to anyone who
     * sees the exit the signal causes, and is never recorded for a child that had exited. A
     * delegated child is asked {@code isAlive()} and then its {@code /proc} state instead, with no
     * lock shared with the JDK's reaper. Either way, a child that exits by itself between that
     * check and the signal is still recorded.
     *
     * @param beforeSignal what to record before the signal; not run if the child has exited
     * @return whether the signal was sent
     */
    boolean terminateUnlessExited(Runnable beforeSignal);

    /**
     * Sends SIGKILL to the group the child leads, or else to the child alone; leaves its streams open.
     *
     * @return whether at least one process received the signal (none once the child has been reaped
     *         and, for a group, no member is left)
     */
    boolean kill();

    /**
     * Runs {@code action} after {@code delay}, unless cancelled first; a cancelled action is let go
     * at once, not kept until its delay has passed. The action must not block.
     *
     * @param delay  how long to wait
     * @param action what to run
     * @return a canceller; running it after the action started does nothing
     */
    Runnable schedule(Duration delay, Runnable action);

    /**
     * Runs {@code action} once the child has exited and been reaped, or at once if it has. The
     * action must not block.
     *
     * @param action what to run
     */
    void whenExited(Runnable action);
}
