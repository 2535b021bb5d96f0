package dev.forkwise;

import dev.forkwise.support.Starter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The hazard of ignoring {@code redirectError(file)} when {@code redirectErrorStream(true)}
 * merges the error output into standard output: {@code ProcessBuilder} still opens the file, so
 * it creates or truncates it, and fails the start when it cannot be opened. Runs with
 * {@code ProcessBuilder}, the oracle, and forkwise side by side.
 */
@Tag("parity")
class MergedErrorFileTest {

    @TempDir
    Path dir;

    @Test
    void anErrorFileIsCreatedOrTruncatedThoughTheErrorsGoToStandardOutput() throws Exception {
        List<String> jdk = errorFiles(ProcessBuilder::start, dir.resolve("jdk"));
        List<String> forkwise = errorFiles(Spawner::start, dir.resolve("forkwise"));

        assertThat(jdk).as("ProcessBuilder, the oracle")
                .containsExactly("output: out err", "created: exists, 0 bytes", "truncated: exists, 0 bytes");
        assertThat(forkwise).as("forkwise").isEqualTo(jdk);
    }

    @Test
    void anErrorFileThatCannotBeOpenedFailsTheStart() throws Exception {
        File missing = dir.resolve("no-such-dir").resolve("err").toFile();
        Throwable jdk = startFailure(ProcessBuilder::start, missing);
        Throwable forkwise = startFailure(Spawner::start, missing);

        assertThat(jdk).as("ProcessBuilder, the oracle").isNotNull();
        assertThat(forkwise).as("forkwise").isNotNull();
        assertThat(forkwise.getClass()).isEqualTo(jdk.getClass());
        assertThat(forkwise.getMessage()).isEqualTo(jdk.getMessage());
        assertThat(forkwise.getCause().getClass()).isEqualTo(jdk.getCause().getClass());
        assertThat(forkwise.getCause().getMessage()).isEqualTo(jdk.getCause().getMessage());
        assertThat(missing).doesNotExist();
    }

    private static List<String> errorFiles(Starter starter, Path directory) throws Exception {
        Files.createDirectories(directory);
        Path created = directory.resolve("created");
        Path truncated = Files.writeString(directory.resolve("truncated"), "old contents");
        String output = run(starter, created);
        run(starter, truncated);
        return List.of("output: " + output, "created: " + describe(created), "truncated: " + describe(truncated));
    }

    private static String run(Starter starter, Path errorFile) throws Exception {
        Process process = starter.start(new ProcessBuilder("sh", "-c", "echo out; echo err >&2")
                .redirectErrorStream(true).redirectError(errorFile.toFile()));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();
        return output.replace('\n', ' ').trim();
    }

    private static String describe(Path file) throws Exception {
        return Files.exists(file) ? "exists, " + Files.size(file) + " bytes" : "missing";
    }

    private static Throwable startFailure(Starter starter, File errorFile) {
        return catchThrowable(() -> starter.start(new ProcessBuilder("true").redirectErrorStream(true)
                .redirectError(errorFile)).waitFor());
    }
}
