package dev.forkwise.spawn;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event for each start through {@code posix_spawn}, the counterpart of the JDK's
 * {@code jdk.ProcessStart}, with the starting thread's stack: how long the start took, what it
 * started, and how many times an {@code ETXTBSY} made it retry. A start that fails records a
 * {@link ProcessStartFailed} instead. Disabled unless a recording enables it. Only
 * {@link SpawnRecord#beginFor} creates one, and only once JFR's recorder has started
 * ({@link Recorder}); it is then the start's {@link SpawnRecord}, and holds the failure event
 * begun with it, so that either one measures the whole start.
 */
@Name("dev.forkwise.ProcessStart")
@Label("forkwise Process Start")
@Category({"forkwise"})
@Description("A process started by forkwise with posix_spawn")
@StackTrace(true)
final class ProcessStart extends jdk.jfr.Event implements SpawnRecord {

    @Label("Process Id")
    long pid;

    @Label("Directory")
    String directory;

    @Label("Command")
    String command;

    @Label("Executable")
    @Description("The path posix_spawn executed, as the PATH search found it")
    String executable;

    @Label("Mechanism")
    @Description("The calls that created the child: pidfd_spawn, posix_spawn + pidfd_open, or posix_spawn")
    String mechanism;

    @Label("Busy Retries")
    @Description("Spawns repeated because the executable was open for writing (ETXTBSY)")
    int busyRetries;

    /** Not recorded: what the commit of either event needs. */
    private transient SpawnRequest request;
    private transient ProcessStartFailed failure;

    /** {@return a started event for the start of {@code request}} */
    static ProcessStart beginFor(SpawnRequest request) {
        ProcessStart event = new ProcessStart();
        event.request = request;
        event.failure = new ProcessStartFailed();
        event.failure.begin();
        event.begin();
        return event;
    }

    @Override
    public Retry retrying(String path, int retry, boolean gracePeriod) {
        return BusyExecutableRetry.begin(this, path, retry, gracePeriod);
    }

    /** Counts a retry whose spawn was made. */
    void countBusyRetry() {
        busyRetries++;
    }

    @Override
    public SpawnedChild started(SpawnedChild child, String executable, String mechanism) {
        if (shouldCommit()) {
            pid = child.pid();
            directory = request.directory();
            command = String.join(" ", request.command());
            this.executable = executable;
            this.mechanism = mechanism;
            commit();
        }
        return child;
    }

    @Override
    public void failed(Exception failure) {
        this.failure.record(request, failure, busyRetries);
    }
}
