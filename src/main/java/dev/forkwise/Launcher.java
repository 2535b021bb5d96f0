package dev.forkwise;

import dev.forkwise.process.SpawnedProcess;
import dev.forkwise.spawn.ChildStdio;
import dev.forkwise.spawn.Descriptor;
import dev.forkwise.spawn.ProcessGroupMode;
import dev.forkwise.spawn.SpawnRequest;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Starts a {@link ProcessBuilder}'s command with forkwise's own mechanism: the checks
 * {@code ProcessBuilder.start()} makes first, in its order and with its exceptions, the translation
 * of the builder into a {@link SpawnRequest}, and the {@code Cannot run program} wording of a
 * failure around the low-level cause.
 */
final class Launcher {

    private Launcher() {
    }

    /** Starts {@code builder}'s command, with its own redirects, in the process group {@code group} asks for. */
    static SpawnedProcess start(ProcessBuilder builder, ProcessGroupMode group) throws IOException {
        return start(builder, group, ChildStdio.of(builder.redirectInput()), ChildStdio.of(builder.redirectOutput()));
    }

    /** {@link Spawner#startPipeline} where forkwise does not delegate. */
    static List<Process> startPipeline(List<ProcessBuilder> builders) throws IOException {
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
                SpawnedProcess process = start(builder, ProcessGroupMode.INHERIT,
                        index > 0 ? new ChildStdio.Use(previousOutput) : ChildStdio.of(builder.redirectInput()),
                        index < last ? ChildStdio.PIPE_TO_NEXT_CHILD : ChildStdio.of(builder.redirectOutput()));
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

    private static SpawnedProcess start(ProcessBuilder builder, ProcessGroupMode group, ChildStdio stdin,
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
        try {
            return SpawnedProcess.start(new SpawnRequest(List.of(command), environment(builder), dir,
                    stdin, stdout, ChildStdio.of(builder.redirectError()), builder.redirectErrorStream(), group));
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("Cannot run program \"" + program + "\""
                    + (dir == null ? "" : " (in directory \"" + dir + "\")") + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@return the child's environment as {@code name=value} entries, or {@code null} when it is
     * this JVM's own}, so the child gets the parent's {@code environ} untouched, as a
     * {@code ProcessBuilder} child does when its environment was not changed.
     */
    private static List<String> environment(ProcessBuilder builder) {
        Map<String, String> environment = builder.environment();
        if (environment.equals(System.getenv())) {
            return null;
        }
        return environment.entrySet().stream().map(e -> e.getKey() + '=' + e.getValue()).toList();
    }
}
