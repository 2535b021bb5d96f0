package dev.forkwise.spawn;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event for each start through {@code posix_spawn} that failed, with the starting thread's
 * stack and the message of the {@code IOException} the caller receives (without the API's
 * {@code Cannot run program} prefix, which names the command recorded here). Created and begun by
 * {@link ProcessStart} with the start, so that it measures the whole start, retries included.
 */
@Name("dev.forkwise.ProcessStartFailed")
@Label("forkwise Process Start Failed")
@Category({"forkwise"})
@Description("A start through posix_spawn that failed")
@StackTrace(true)
final class ProcessStartFailed extends jdk.jfr.Event {

    @Label("Directory")
    String directory;

    @Label("Command")
    String command;

    @Label("Failure")
    @Description("The message of the exception the start failed with")
    String failure;

    @Label("Busy Retries")
    @Description("Spawns repeated because the executable was open for writing (ETXTBSY)")
    int busyRetries;

    /** Commits this event, if enabled, for {@code request}'s start, which failed with {@code failure}. */
    void record(SpawnRequest request, Exception failure, int busyRetries) {
        if (shouldCommit()) {
            directory = request.directory();
            command = String.join(" ", request.command());
            this.failure = failure.getMessage();
            this.busyRetries = busyRetries;
            commit();
        }
    }
}
