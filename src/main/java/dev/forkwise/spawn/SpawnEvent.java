package dev.forkwise.spawn;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event for each start, the counterpart of the JDK's {@code jdk.ProcessStart}: how long the
 * start took, what it started, and how many times an {@code ETXTBSY} made it retry. Enabled by
 * default in JFR's {@code default} and {@code profile} settings only when configured; costs
 * nothing while disabled.
 */
@Name("dev.forkwise.Spawn")
@Label("forkwise Spawn")
@Category({"forkwise"})
@Description("A process started by forkwise with posix_spawn")
@StackTrace(false)
final class SpawnEvent extends jdk.jfr.Event {

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
}
