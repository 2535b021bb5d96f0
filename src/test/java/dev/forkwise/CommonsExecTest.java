package dev.forkwise;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.PumpStreamHandler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * commons-exec runs its commands through forkwise with the one-method override that
 * docs/migrating.md shows; the same command through a plain {@code DefaultExecutor} is the oracle.
 */
@Tag("fallback-too")
class CommonsExecTest {

    /**
     * The override from docs/migrating.md, and a record of the processes it started. A subclass can
     * only call the public constructor, which commons-exec 1.5 deprecates in favour of its builder.
     */
    @SuppressWarnings("deprecation")
    static final class ForkwiseExecutor extends DefaultExecutor {
        final List<Process> started = new ArrayList<>();

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, Path dir) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command.toStrings());
            if (env != null) {            // null: inherit this JVM's environment
                builder.environment().clear();
                builder.environment().putAll(env);
            }
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            Process process = Spawner.start(builder);
            started.add(process);
            return process;
        }
    }

    private record Outcome(int exitValue, String stdout, String stderr) {
    }

    private static Outcome execute(DefaultExecutor executor, String script, Map<String, String> env)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        executor.setStreamHandler(new PumpStreamHandler(out, err));
        executor.setExitValues(null);       // every exit value is a result, not an exception
        int exitValue = executor.execute(new CommandLine("sh").addArgument("-c").addArgument(script, false), env);
        return new Outcome(exitValue, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCommandThroughTheLaunchOverrideRunsOnForkwiseWithTheSameResultAsCommonsExec() throws Exception {
        String script = "echo out; echo err >&2; printf %s \"$FORKWISE_MIGRATION\"; exit 3";
        Map<String, String> env = Map.of("FORKWISE_MIGRATION", "seen", "PATH", "/usr/bin:/bin");
        ForkwiseExecutor forkwise = new ForkwiseExecutor();

        Outcome viaForkwise = execute(forkwise, script, env);
        Outcome viaCommonsExec = execute(DefaultExecutor.builder().get(), script, env);

        assertThat(viaForkwise).isEqualTo(new Outcome(3, "out\nseen", "err\n"));
        assertThat(viaForkwise).isEqualTo(viaCommonsExec);
        assertThat(forkwise.started).hasSize(1);
        String expectedClass = Spawner.mechanism().launch() == Mechanism.Launch.POSIX_SPAWN
                ? "dev.forkwise.process.SpawnedProcess"
                : "java.lang.ProcessImpl";
        assertThat(forkwise.started.getFirst().getClass().getName()).isEqualTo(expectedClass);
    }

    @Test
    void aMissingProgramThroughTheLaunchOverrideFailsAsCommonsExecReportsIt() {
        ForkwiseExecutor forkwise = new ForkwiseExecutor();
        CommandLine missing = new CommandLine("/nonexistent/forkwise-missing-program");

        assertThatThrownBy(() -> forkwise.execute(missing))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(ExecuteException.class)
                .hasMessageContaining("Cannot run program \"/nonexistent/forkwise-missing-program\"");
        assertThatThrownBy(() -> DefaultExecutor.builder().get().execute(missing))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Cannot run program \"/nonexistent/forkwise-missing-program\"");
        assertThat(forkwise.started).isEmpty();
    }
}
