package dev.forkwise.process;

import dev.forkwise.spawn.Recorder;

import java.time.Duration;

/**
 * What a deadline reports to JFR when it signals a child: a {@link DeadlineKill}, once JFR's
 * recorder has started ({@link Recorder}), else nothing. The API's deadline calls it after each
 * signal it sent, for either kind of {@link Child}.
 */
public final class DeadlineRecord {

    private DeadlineRecord() {
    }

    /**
     * Records a signal a deadline sent.
     *
     * @param pid          the child's pid
     * @param timeout      the deadline, counted from the start
     * @param gracePeriod  how long after SIGTERM the deadline sends SIGKILL
     * @param force        SIGKILL rather than SIGTERM
     * @param group        whether the signal went to the process group the child leads
     * @param descendants  how many descendants of a child without a group of its own were signalled with it
     */
    public static void signalled(long pid, Duration timeout, Duration gracePeriod, boolean force, boolean group,
                                 int descendants) {
        if (Recorder.started()) {
            DeadlineKill.record(pid, timeout, gracePeriod, force, group, descendants);
        }
    }
}
