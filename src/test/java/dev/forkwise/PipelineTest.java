package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@code Spawner.startPipeline} against {@code ProcessBuilder.startPipeline}, same inputs, same run. */
@Tag("parity")
class PipelineTest {

    @FunctionalInterface
    interface PipelineStarter {
        List<Process> start(List<ProcessBuilder> builders) throws IOException;
    }

    private static final PipelineStarter JDK = ProcessBuilder::startPipeline;
    private static final PipelineStarter FORKWISE = Spawner::startPipeline;

    @TempDir
    Path dir;

    @Test
    void catSortUniqGivesTheSameOutput() throws Exception {
        Path words = Files.writeString(dir.resolve("words"), "pear\napple\npear\nfig\napple\npear\n");
        Function<Path, List<ProcessBuilder>> pipeline = unused -> List.of(
                new ProcessBuilder("cat", words.toString()),
                new ProcessBuilder("sort"),
                new ProcessBuilder("uniq", "-c"));

        List<String> jdk = observe(JDK, pipeline);
        List<String> forkwise = observe(FORKWISE, pipeline);

        assertThat(forkwise).isEqualTo(jdk);
        assertThat(forkwise).contains("stdout of 2: " + "      2 apple\n      1 fig\n      3 pear\n");
    }

    @Test
    void theEndsOfThePipelineHonourTheirRedirectsAndTheInnerStreamsAreNull() throws Exception {
        Function<Path, List<ProcessBuilder>> pipeline = scratch -> List.of(
                new ProcessBuilder("cat").redirectInput(ProcessBuilderParityTest.write(scratch, "in", "b\na\n").toFile()),
                new ProcessBuilder("sort").redirectErrorStream(true),
                new ProcessBuilder("tr", "a-z", "A-Z").redirectOutput(scratch.resolve("out").toFile()));
        // Inner stdin is the null output stream, which throws; inner stdout and stderr read nothing.
        List<String> expected = List.of(
                "stdout of 0: ", "stderr of 0: ",
                "stdin of 1: java.io.IOException", "stdout of 1: ", "stderr of 1: ",
                "stdin of 2: java.io.IOException", "stdout of 2: ", "stderr of 2: ",
                "exit of 0: 0", "exit of 1: 0", "exit of 2: 0",
                "out file: A\nB\n");

        List<String> jdk = observe(JDK, pipeline);
        List<String> forkwise = observe(FORKWISE, pipeline);

        assertThat(forkwise).as("forkwise").isEqualTo(expected);
        assertThat(jdk).as("ProcessBuilder").isEqualTo(expected);
        assertThat(forkwise).isEqualTo(jdk);
    }

    /** A pipeline that cannot start, and what its start must throw, as {@code describe} words it. */
    record Broken(String what, Function<Path, List<ProcessBuilder>> pipeline, List<String> expected) {
        static Broken of(String what, Function<Path, List<ProcessBuilder>> pipeline, String failure) {
            return new Broken(what, pipeline, List.of(failure));
        }
    }

    @Test
    void errorsMatchProcessBuilders() throws Exception {
        List<Broken> broken = List.of(
                Broken.of("a redirected input after the first stage", scratch -> List.of(new ProcessBuilder("echo", "x"),
                                new ProcessBuilder("cat").redirectInput(scratch.resolve("in").toFile())),
                        "java.lang.IllegalArgumentException: builder redirectInput() must be PIPE except for the"
                                + " first builder: redirect to read from file \"$DIR/in\""),
                Broken.of("a redirected output before the last stage", scratch -> List.of(
                                new ProcessBuilder("echo", "x").redirectOutput(Redirect.INHERIT), new ProcessBuilder("cat")),
                        "java.lang.IllegalArgumentException: builder redirectOutput() must be PIPE except for the"
                                + " last builder: INHERIT"),
                Broken.of("a missing program in the middle", scratch -> List.of(new ProcessBuilder("sleep", "infinity"),
                                new ProcessBuilder("forkwise-no-such-program"), new ProcessBuilder("cat")),
                        ProcessBuilderParityTest.execFailed("forkwise-no-such-program", null, 2,
                                "No such file or directory").failure()),
                Broken.of("a NUL in an argument", scratch -> List.of(new ProcessBuilder("sleep", "infinity"),
                                new ProcessBuilder("cat", "a\0b")),
                        "java.io.IOException: invalid null character in command"),
                Broken.of("an empty command", scratch -> List.of(new ProcessBuilder("sleep", "infinity"),
                                new ProcessBuilder()),
                        "java.lang.ArrayIndexOutOfBoundsException: Index 0 out of bounds for length 0"),
                new Broken("no stages: nothing starts and nothing fails", scratch -> List.of(), List.of()));
        for (Broken pipeline : broken) {
            List<String> jdk = observe(JDK, pipeline.pipeline());
            List<String> forkwise = observe(FORKWISE, pipeline.pipeline());

            assertThat(forkwise).as("forkwise, " + pipeline.what()).isEqualTo(pipeline.expected());
            assertThat(jdk).as("ProcessBuilder, " + pipeline.what()).isEqualTo(pipeline.expected());
            assertThat(forkwise).as(pipeline.what()).isEqualTo(jdk);
        }
        assertThat(OsProbe.zombieChildren()).isEmpty();
    }

    /** Runs a pipeline and records what each stage shows: streams, exit values, or the failure. */
    private List<String> observe(PipelineStarter starter, Function<Path, List<ProcessBuilder>> pipeline) throws Exception {
        Path scratch = Files.createTempDirectory(dir, "run");
        List<String> seen = new ArrayList<>();
        List<Process> processes;
        try {
            processes = starter.start(pipeline.apply(scratch));
        } catch (Exception failure) {
            seen.add(ProcessBuilderParityTest.describe(failure).replace(scratch.toString(), "$DIR"));
            return seen;
        }
        for (int i = 0; i < processes.size(); i++) {
            Process process = processes.get(i);
            if (i > 0) {
                Throwable write = catchThrowable(() -> process.getOutputStream().write(1));
                seen.add("stdin of " + i + ": " + (write == null ? "writable" : write.getClass().getName()));
            }
            process.getOutputStream().close();
            seen.add("stdout of " + i + ": " + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            seen.add("stderr of " + i + ": " + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        for (int i = 0; i < processes.size(); i++) {
            seen.add("exit of " + i + ": " + processes.get(i).waitFor());
        }
        File out = scratch.resolve("out").toFile();
        if (out.exists()) {
            seen.add("out file: " + Files.readString(out.toPath()));
        }
        return seen;
    }
}
