package dev.forkwise;

import dev.forkwise.support.Starter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile or unusual input that must be refused or honoured exactly as {@code ProcessBuilder}
 * does: each case runs through {@code ProcessBuilder.start()} and {@code Spawner.start()} in the
 * same run, and the outcomes, and what each left on disk, must be equal and as expected.
 */
@Tag("parity")
class HostileInputTest {

    private static final Starter JDK = ProcessBuilder::start;
    private static final Starter FORKWISE = Spawner::start;
    private static final String VICTIM_TEXT = "do not touch\n";

    @TempDir
    Path dir;

    @Test
    void aNulInARedirectOutputFileNameDoesNotTruncateAnotherFile() throws Exception {
        nulInRedirectIsRefused(victim -> new ProcessBuilder("echo", "owned").redirectOutput(new File(victim + "\0.log")));
    }

    @Test
    void aNulInAnAppendFileNameDoesNotWriteAnotherFile() throws Exception {
        nulInRedirectIsRefused(victim -> new ProcessBuilder("echo", "owned")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(victim + "\0.log"))));
    }

    @Test
    void aNulInARedirectErrorFileNameDoesNotTruncateAnotherFile() throws Exception {
        nulInRedirectIsRefused(victim -> new ProcessBuilder("sh", "-c", "echo owned >&2")
                .redirectError(new File(victim + "\0.log")));
    }

    @Test
    void aNulInARedirectInputFileNameDoesNotReadAnotherFile() throws Exception {
        nulInRedirectIsRefused(victim -> new ProcessBuilder("cat").redirectInput(new File(victim + "\0.log")));
    }

    private void nulInRedirectIsRefused(Function<Path, ProcessBuilder> builder) throws Exception {
        Path victim = dir.resolve("victim");
        Files.writeString(victim, VICTIM_TEXT);
        String jdk = outcome(JDK, builder.apply(victim));
        String forkwise = outcome(FORKWISE, builder.apply(victim));
        assertThat(jdk).isEqualTo("java.io.IOException: Cannot run program \"" + builder.apply(victim).command().getFirst()
                + "\": Invalid file path");
        assertThat(forkwise).isEqualTo(jdk);
        assertThat(Files.readString(victim)).isEqualTo(VICTIM_TEXT);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(victim);
        }
    }

    @Test
    void aWorkingDirectoryOneByteShortOfPathMaxWorks() throws Exception {
        deepDirectoryRunsAsWithProcessBuilder(4095, true);
    }

    @Test
    void aWorkingDirectoryTwoBytesShortOfPathMaxWorks() throws Exception {
        deepDirectoryRunsAsWithProcessBuilder(4094, true);
    }

    @Test
    void aWorkingDirectoryAsLongAsPathMaxFailsAsWithProcessBuilder() throws Exception {
        deepDirectoryRunsAsWithProcessBuilder(4096, false);
    }

    /** Runs {@code pwd} in a directory whose absolute name is {@code length} bytes long. */
    private void deepDirectoryRunsAsWithProcessBuilder(int length, boolean works) throws Exception {
        Path deep = dir.toAbsolutePath();
        while (deep.toString().length() < length) {
            int left = length - deep.toString().length() - 1;
            // Components of at most 200 bytes; never leave a remainder too short for one more.
            int component = left > 200 ? Math.min(200, left - 2) : left;
            Path next = deep.resolve("d".repeat(component));
            if (next.toString().length() < 4096) {
                Files.createDirectory(next);
            }
            deep = next;
        }
        assertThat(deep.toString().getBytes(StandardCharsets.UTF_8)).hasSize(length);
        String jdk = outcome(JDK, new ProcessBuilder("pwd").directory(deep.toFile()));
        String forkwise = outcome(FORKWISE, new ProcessBuilder("pwd").directory(deep.toFile()));
        if (works) {
            assertThat(jdk).isEqualTo("exit 0 out=" + deep + "\n err=");
        } else {
            assertThat(jdk).startsWith("java.io.IOException: Cannot run program \"pwd\" (in directory \"" + deep + "\")")
                    .endsWith("error: 36 (File name too long) ");
        }
        assertThat(forkwise).isEqualTo(jdk);
    }

    /** {@return the exit value and output of {@code builder}'s command, or the exception that refused it} */
    static String outcome(Starter starter, ProcessBuilder builder) throws InterruptedException {
        try {
            Process process = starter.start(builder);
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return "exit " + process.waitFor() + " out=" + out + " err=" + err;
        } catch (IOException e) {
            return e.toString();
        }
    }
}
