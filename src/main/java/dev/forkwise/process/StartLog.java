package dev.forkwise.process;

import java.util.List;

/**
 * The record of each start on the {@code java.lang.ProcessBuilder} {@link System.Logger}, which
 * {@code ProcessBuilder.start()} writes on JDK 21 and later: at {@code DEBUG} the program, at
 * {@code TRACE} every argument, with the pid, the directory and a stack trace of the caller. Only
 * children started with {@code posix_spawn} are logged here; a delegated start is logged by
 * {@code ProcessBuilder} itself. While the logger is not loggable at {@code DEBUG} a start costs
 * one check.
 */
final class StartLog {

    /** The logger, got on the first start as {@code ProcessBuilder} gets it; racy, as any logger will do. */
    private static System.Logger logger;

    private StartLog() {
    }

    /** Logs the start of {@code command}, in {@code directory} (null: the JVM's), as process {@code pid}. */
    static void started(long pid, List<String> command, String directory) {
        System.Logger log = logger;
        if (log == null) {
            logger = log = System.getLogger("java.lang.ProcessBuilder");
        }
        if (!log.isLoggable(System.Logger.Level.DEBUG)) {
            return;
        }
        boolean detail = log.isLoggable(System.Logger.Level.TRACE);
        String program = detail ? String.join("\" \"", command) : command.getFirst();
        log.log(detail ? System.Logger.Level.TRACE : System.Logger.Level.DEBUG,
                "ProcessBuilder.start(): pid: " + pid + ", dir: " + directory + ", cmd: \"" + program + "\"",
                new RuntimeException("ProcessBuilder.start() debug"));
    }
}
