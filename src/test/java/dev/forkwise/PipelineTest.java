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

        assertThat(observe(FORKWISE, pipeline)).isEqualTo(observe(JDK, pipeline));
    }

    @Test
    void errorsMatchProcessBuilders() throws Exception {
        List<Function<Path, List<ProcessBuilder>>> broken = List.of(
                scratch -> List.of(new ProcessBuilder("echo", "x"),
                        new ProcessBuilder("cat").redirectInput(scratch.resolve("in").toFile())),
                scratch -> List.of(new ProcessBuilder("echo", "x").redirectOutput(Redirect.INHERIT),
                        new ProcessBuilder("cat")),
                scratch -> List.of(new ProcessBuilder("sleep", "infinity"), new ProcessBuilder("forkwise-no-such-program"),
                        new ProcessBuilder("cat")),
                scratch -> List.of(new ProcessBuilder("sleep", "infinity"), new ProcessBuilder("cat", "a\0b")),
                scratch -> List.of(new ProcessBuilder("sleep", "infinity"), new ProcessBuilder()),
                scratch -> List.of());
        for (Function<Path, List<ProcessBuilder>> pipeline : broken) {
            assertThat(observe(FORKWISE, pipeline)).isEqualTo(observe(JDK, pipeline));
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
