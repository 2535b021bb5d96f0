package dev.forkwise.process;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

import java.time.Duration;

/**
 * A JFR event for each signal a deadline sends: SIGTERM when the timeout passes, SIGKILL a grace
 * period later to a child still there. Committed just after the signal was sent. Only
 * {@link DeadlineRecord} creates one, and only once JFR's recorder has started.
 */
@Name("dev.forkwise.DeadlineKill")
@Label("forkwise Deadline Kill")
@Category({"forkwise"})
@Description("A signal sent to a child because its deadline passed")
@StackTrace(false)
final class DeadlineKill extends jdk.jfr.Event {

    @Label("Process Id")
    long pid;

    @Label("Signal")
    @Description("SIGTERM at the deadline, SIGKILL at the end of the grace period")
    String signal;

    @Label("Timeout")
    @Timespan(Timespan.NANOSECONDS)
    long timeout;

    @Label("Grace Period")
    @Timespan(Timespan.NANOSECONDS)
    long gracePeriod;

    @Label("Process Group")
    @Description("Whether the signal went to the process group the child leads")
    boolean processGroup;

    @Label("Descendants")
    @Description("How many descendants of a child without a group of its own were signalled with it")
    int descendants;

    /** Commits an event, if enabled; see {@link DeadlineRecord#signalled}. */
    static void record(long pid, Duration timeout, Duration gracePeriod, boolean force, boolean group,
                       int descendants) {
        DeadlineKill event = new DeadlineKill();
        if (event.shouldCommit()) {
            event.pid = pid;
            event.signal = force ? "SIGKILL" : "SIGTERM";
            event.timeout = saturatedNanos(timeout);
            event.gracePeriod = saturatedNanos(gracePeriod);
            event.processGroup = group;
            event.descendants = descendants;
            event.commit();
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
