package dev.forkwise.spawn;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event for each retry of a start whose executable was busy ({@code ETXTBSY}): its duration
 * is the wait before the retry, the grace period of invariant 3 (waiting for this library's
 * spawns in flight) or a step of the bounded backoff (the writer is outside forkwise); see
 * {@link BusyExecutablePolicy}. Created by {@link ProcessStart#retrying}, only once JFR's recorder
 * has started; it is the retry's {@link SpawnRecord.Retry}.
 */
@Name("dev.forkwise.BusyExecutableRetry")
@Label("forkwise Busy Executable Retry")
@Category({"forkwise"})
@Description("A spawn repeated because the executable was open for writing (ETXTBSY); the duration is the wait")
@StackTrace(false)
final class BusyExecutableRetry extends jdk.jfr.Event implements SpawnRecord.Retry {

    @Label("Executable")
    String executable;

    @Label("Retry")
    @Description("Which retry of the start this is, from 1")
    int retry;

    @Label("Wait")
    @Description("grace period: for the spawns of this library in flight; backoff: for a writer outside forkwise")
    String wait;

    @Label("Spawns Awaited")
    @Description("How many spawns of this library in flight the grace period waited for; 0 for a backoff")
    int spawnsAwaited;

    @Label("Still Busy")
    @Description("Whether the retry failed with ETXTBSY again")
    boolean stillBusy;

    /** Not recorded: the start whose retries this counts. */
    private transient ProcessStart start;

    /** {@return a started event for a retry of {@code path} in {@code start}} */
    static BusyExecutableRetry begin(ProcessStart start, String path, int retry, boolean gracePeriod) {
        BusyExecutableRetry event = new BusyExecutableRetry();
        event.start = start;
        event.executable = path;
        event.retry = retry;
        event.wait = gracePeriod ? "grace period" : "backoff";
        event.begin();
        return event;
    }

    @Override
    public void waited(int spawns) {
        spawnsAwaited = spawns;
        end();
    }

    @Override
    public void retried(boolean stillBusy) {
        start.countBusyRetry();
        if (shouldCommit()) {
            this.stillBusy = stillBusy;
            commit();
        }
    }
}
