package dev.forkwise.process;

import dev.forkwise.spawn.ChildStdio;
import dev.forkwise.spawn.Descriptor;
import dev.forkwise.spawn.Pidfds;
import dev.forkwise.spawn.PosixSpawn;
import dev.forkwise.spawn.ProcessGroupMode;
import dev.forkwise.spawn.SpawnRequest;
import dev.forkwise.spawn.SpawnSupport;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Starts a {@link ProcessBuilder}'s command as a {@link Child}: with {@code posix_spawn} where
 * forkwise can use it, else with {@code ProcessBuilder.start()} (decided once per JVM).
 *
 * <p>On the {@code posix_spawn} path it makes the checks {@code ProcessBuilder.start()} makes
 * first, in its order and with its exceptions, translates the builder into a {@link SpawnRequest},
 * and wraps a failure in the {@code Cannot run program} wording around the low-level cause.
 */
public final class Launcher {

    /** The system property that, set to {@code threads}, watches every child with a thread of its own. */
    public static final String EXIT_WATCHER_PROPERTY = "dev.forkwise.exitWatcher";

    private static final Optional<String> FALLBACK_REASON = SpawnSupport.unavailableReason();

    /** Whether children are watched through pidfds; decided on the first spawn, never in fallback mode. */
    private static final class PidfdWatching {
        static final boolean ON = Pidfds.supported() && !"threads".equals(System.getProperty(EXIT_WATCHER_PROPERTY));
    }

    private Launcher() {
    }

    /** {@return why children are started with {@code ProcessBuilder.start()}, or empty where {@code posix_spawn} is used} */
    public static Optional<String> fallbackReason() {
        return FALLBACK_REASON;
    }

    /** {@return how children are created, in words}; only where {@code posix_spawn} is used */
    public static String launchDescription() {
        return SpawnSupport.launchDescription(PidfdWatching.ON);
    }

    /** {@return how exits are detected, in words}; only where {@code posix_spawn} is used */
    public static String exitWatching() {
        return PidfdWatching.ON
                ? "pidfd + epoll on one watcher thread"
                : "one waiting thread per child (waitid; no pidfd on this kernel, or -D" + EXIT_WATCHER_PROPERTY
                        + "=threads)";
    }

    /**
     * Starts {@code builder}'s command, with its own redirects, in the process group {@code group}
     * asks for.
     *
     * @throws UnsupportedOperationException if {@code group} asks for a group or session of its
     *                                       own where children are started by {@code ProcessBuilder}
     * @throws IOException                   as {@code ProcessBuilder.start()} throws it
     */
    public static Child start(ProcessBuilder builder, ProcessGroupMode group) throws IOException {
        if (FALLBACK_REASON.isPresent()) {
            if (group != ProcessGroupMode.INHERIT) {
                throw new UnsupportedOperationException("a process group or session of its own needs posix_spawn,"
                        + " which forkwise cannot use here: " + FALLBACK_REASON.get());
            }
            return new DelegatedProcess(builder.start());
        }
        return spawn(builder, group, stdio(builder.redirectInput()), stdio(builder.redirectOutput()));
    }

    /**
     * Starts a pipeline, as {@code ProcessBuilder.startPipeline} does. It returns plain
     * {@code Process}es, as that method does, not {@link Child}ren: a pipeline takes no options,
     * so the API needs nothing of a stage beyond {@code Process}.
     *
     * @throws IllegalArgumentException if a builder other than the first redirects its input, or
     *                                  one other than the last its output
     * @throws IOException              if a process cannot be started; those already started are
     *                                  destroyed forcibly and waited for
     */
    public static List<Process> startPipeline(List<ProcessBuilder> builders) throws IOException {
        if (FALLBACK_REASON.isPresent()) {
            return ProcessBuilder.startPipeline(builders);
        }
        int last = builders.size() - 1;
        List<Process> processes = new ArrayList<>(builders.size());
        Descriptor previousOutput = null;
        try {
            for (int index = 0; index <= last; index++) {
                ProcessBuilder builder = builders.get(index);
                if (index > 0 && builder.redirectInput() != Redirect.PIPE) {
                    throw new IllegalArgumentException("builder redirectInput() must be PIPE except for the first builder: "
                            + builder.redirectInput());
                }
                if (index < last && builder.redirectOutput() != Redirect.PIPE) {
                    throw new IllegalArgumentException("builder redirectOutput() must be PIPE except for the last builder: "
                            + builder.redirectOutput());
                }
                SpawnedProcess process = spawn(builder, ProcessGroupMode.INHERIT,
                        index > 0 ? new ChildStdio.Use(previousOutput) : stdio(builder.redirectInput()),
                        index < last ? ChildStdio.PIPE_TO_NEXT_CHILD : stdio(builder.redirectOutput()));
                processes.add(process);
                if (previousOutput != null) {
                    previousOutput.close();
                }
                previousOutput = process.pipelineOutput();
            }
            return processes;
        } catch (IOException | RuntimeException e) {
            if (previousOutput != null) {
                previousOutput.close();
            }
            processes.forEach(Process::destroyForcibly);
            for (Process process : processes) {
                waitUninterruptibly(process);
            }
            throw e;
        }
    }

    private static void waitUninterruptibly(Process process) {
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static SpawnedProcess spawn(ProcessBuilder builder, ProcessGroupMode group, ChildStdio stdin,
                                        ChildStdio stdout) throws IOException {
        String[] command = builder.command().toArray(new String[0]);
        for (String argument : command) {
            Objects.requireNonNull(argument);
        }
        String program = command[0];
        for (String argument : command) {
            if (argument.indexOf('\u0000') >= 0) {
                throw new IOException("invalid null character in command");
            }
        }
        File directory = builder.directory();
        String dir = directory == null ? null : directory.toString();
        SpawnRequest request;
        try {
            request = new SpawnRequest(List.of(command), BuilderEnvironment.of(builder), dir, stdin, stdout,
                    stdio(builder.redirectError()), builder.redirectErrorStream(), group, PidfdWatching.ON);
            return SpawnedProcess.watch(PosixSpawn.start(request), request);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("Cannot run program \"" + program + "\""
                    + (dir == null ? "" : " (in directory \"" + dir + "\")") + ": " + e.getMessage(), e);
        }
    }

    /** {@return the source {@code redirect} describes} */
    private static ChildStdio stdio(Redirect redirect) {
        return switch (redirect.type()) {
            case PIPE -> ChildStdio.PIPE;
            case INHERIT -> ChildStdio.INHERIT;
            case READ -> new ChildStdio.ReadFile(redirect.file());
            case WRITE -> new ChildStdio.WriteFile(redirect.file(), false);
            case APPEND -> new ChildStdio.WriteFile(redirect.file(), true);
        };
    }
}
