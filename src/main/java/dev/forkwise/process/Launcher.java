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
 * forkwise can use it, else with {@code ProcessBuilder.start()} (decided once per JVM, from a
 * permanent answer).
 *
 * <p>On the {@code posix_spawn} path it makes the checks {@code ProcessBuilder.start()} makes
 * first, in its order and with its exceptions, translates the builder into a {@link SpawnRequest},
 * and wraps a failure in the {@code Cannot run program} wording around the low-level cause.
 */
public final class Launcher {

    /** The system property that, set to {@code threads}, watches every child with a thread of its own. */
    public static final String EXIT_WATCHER_PROPERTY = "dev.forkwise.exitWatcher";

    private Launcher() {
    }

    /**
     * {@return why children are started with {@code ProcessBuilder.start()}, or empty where
     * {@code posix_spawn} is used}; decided by the first call that gets a permanent answer
     *
     * @throws IOException if it cannot be decided now (see {@link SpawnSupport#unavailableReason()})
     */
    public static Optional<String> fallbackReason() throws IOException {
        return SpawnSupport.unavailableReason();
    }

    /**
     * {@return how children are created, in words}; only where {@code posix_spawn} is used
     *
     * @throws IOException if whether pidfds work cannot be decided now
     */
    public static String launchDescription() throws IOException {
        return SpawnSupport.launchDescription(pidfdWatching());
    }

    /**
     * {@return how exits are detected, in words}; only where {@code posix_spawn} is used
     *
     * @throws IOException if whether pidfds work cannot be decided now
     */
    public static String exitWatching() throws IOException {
        return pidfdWatching()
                ? "pidfd + epoll on one watcher thread"
                : "one waiting thread per child (waitid; no pidfd on this kernel, or -D" + EXIT_WATCHER_PROPERTY
                        + "=threads)";
    }

    /** {@return whether children are watched through pidfds}; never asked in fallback mode */
    private static boolean pidfdWatching() throws IOException {
        return !"threads".equals(System.getProperty(EXIT_WATCHER_PROPERTY)) && Pidfds.supported();
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
        Optional<String> fallback = fallbackReason(builder);
        if (fallback.isPresent()) {
            if (group != ProcessGroupMode.INHERIT) {
                throw new UnsupportedOperationException("a process group or session of its own needs posix_spawn,"
                        + " which forkwise cannot use here: " + fallback.get());
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
        if (builders.isEmpty() ? fallbackReason().isPresent() : fallbackReason(builders.getFirst()).isPresent()) {
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

    /** {@link #fallbackReason()}, or the failure to decide it as a failure to start {@code builder}'s command. */
    private static Optional<String> fallbackReason(ProcessBuilder builder) throws IOException {
        try {
            return fallbackReason();
        } catch (IOException e) {
            throw cannotRun(builder, e);
        }
    }

    private static IOException cannotRun(ProcessBuilder builder, IOException cause) {
        File directory = builder.directory();
        return new IOException("Cannot run program \"" + builder.command().getFirst() + "\""
                + (directory == null ? "" : " (in directory \"" + directory + "\")") + ": " + cause.getMessage(), cause);
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
                    stdio(builder.redirectError()), builder.redirectErrorStream(), group, pidfdWatching());
            SpawnedProcess process = SpawnedProcess.watch(PosixSpawn.start(request), request);
            StartLog.started(process.pid(), request.command(), dir);
            return process;
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
