package dev.forkwise.spawn;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event for each start, the counterpart of the JDK's {@code jdk.ProcessStart}: how long the
 * start took, what it started, and how many times an {@code ETXTBSY} made it retry. Disabled unless
 * a recording enables it; costs nothing while disabled. Only {@link SpawnRecord#beginFor} creates
 * one, and only once JFR's recorder has started.
 */
@Name("dev.forkwise.Spawn")
@Label("forkwise Spawn")
@Category({"forkwise"})
@Description("A process started by forkwise with posix_spawn")
@StackTrace(false)
final class SpawnEvent extends jdk.jfr.Event implements SpawnRecord {

    @Label("Process Id")
    long pid;

    @Label("Command")
    String command;

    @Label("Directory")
    String directory;

    @Label("Busy Retries")
    @Description("Spawns repeated because the executable was open for writing (ETXTBSY)")
    int busyRetries;

    @Label("Failure")
    String failure;

    /** Not recorded: only what {@link #beginFor} needs to commit later. */
    private transient SpawnRequest request;

    /** {@return a started event for the start of {@code request}} */
    static SpawnEvent beginFor(SpawnRequest request) {
        SpawnEvent event = new SpawnEvent();
        event.request = request;
        event.begin();
        return event;
    }

    @Override
    public void countBusyRetry() {
        busyRetries++;
    }

    @Override
    public SpawnedChild started(SpawnedChild child) {
        if (shouldCommit()) {
            pid = child.pid();
            commit(request);
        }
        return child;
    }

    @Override
    public void failed(Exception failure) {
        if (shouldCommit()) {
            this.failure = failure.getMessage();
            commit(request);
        }
    }

    private void commit(SpawnRequest request) {
        command = String.join(" ", request.command());
        directory = request.directory();
        commit();
    }
}
