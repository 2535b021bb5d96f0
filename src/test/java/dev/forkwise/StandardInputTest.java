package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The hazards of feeding a child: input larger than the pipe deadlocking the writer against a
 * child that writes back, a child that stops reading, and an input that cannot be read.
 */
@Tag("watcher")
@Tag("fallback-too")
class StandardInputTest {

    /** Sixteen times a pipe's default capacity: a writer that blocked on it while nobody read the output would hang. */
    private static final byte[] MEGABYTE = new byte[1 << 20];

    static {
        new Random(12).nextBytes(MEGABYTE);
    }

    @TempDir
    Path dir;

    @Test
    void bytesLargerThanThePipeComeBackWhole() throws Exception {
        ProcessResult cat = Spawner.run(new ProcessBuilder("cat"), SpawnOptions.defaults().withInput(MEGABYTE)).join();

        assertThat(cat.stdout()).isEqualTo(MEGABYTE);
    }

    @Test
    void bytesChangedAfterTheyWereGivenAreNotFed() throws Exception {
        byte[] given = "before".getBytes(StandardCharsets.US_ASCII);
        SpawnOptions options = SpawnOptions.defaults().withInput(given);
        given[0] = 'X';

        assertThat(Spawner.run(new ProcessBuilder("cat"), options).join().stdout(StandardCharsets.US_ASCII))
                .isEqualTo("before");
    }

    @Test
    void textIsEncodedInTheGivenCharset() throws Exception {
        ProcessResult od = Spawner.run(new ProcessBuilder("od", "-An", "-tx1"),
                SpawnOptions.defaults().withInput("ü", StandardCharsets.ISO_8859_1)).join();
        ProcessResult utf8 = Spawner.run(new ProcessBuilder("od", "-An", "-tx1"),
                SpawnOptions.defaults().withInput("ü", StandardCharsets.UTF_8)).join();

        assertThat(od.stdout(StandardCharsets.US_ASCII).strip()).isEqualTo("fc");
        assertThat(utf8.stdout(StandardCharsets.US_ASCII).strip()).isEqualTo("c3 bc");
    }

    @Test
    void aFileIsReadForEachChild() throws Exception {
        Path file = Files.write(dir.resolve("input"), MEGABYTE);
        SpawnOptions fromFile = SpawnOptions.defaults().withInput(file);

        assertThat(Spawner.run(new ProcessBuilder("cat"), fromFile).join().stdout()).isEqualTo(MEGABYTE);
        assertThat(Spawner.run(new ProcessBuilder("wc", "-c"), fromFile).join().stdout(StandardCharsets.US_ASCII).strip())
                .isEqualTo(Integer.toString(MEGABYTE.length));
    }

    @Test
    void aStreamIsReadToItsEndAndLeftOpen() throws Exception {
        boolean[] closed = {false};
        ByteArrayInputStream stream = new ByteArrayInputStream(MEGABYTE) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        ProcessResult cat = Spawner.run(new ProcessBuilder("cat"), SpawnOptions.defaults().withInput(stream)).join();

        assertThat(cat.stdout()).isEqualTo(MEGABYTE);
        assertThat(stream.available()).isZero();
        assertThat(closed[0]).as("the caller's stream closed").isFalse();
    }

    @Test
    void aChildThatReadsNothingIsNotAnError() throws Exception {
        ProcessResult result = Spawner.run(new ProcessBuilder("true"), SpawnOptions.defaults().withInput(MEGABYTE)).join();

        assertThat(result.exitValue()).isZero();
    }

    @Test
    void aFileThatCannotBeReadFailsTheRunAndTheChildReadsEndOfFile() throws Exception {
        Path missing = dir.resolve("missing");

        CompletionException failure = catchThrowableOfType(CompletionException.class, () ->
                Spawner.run(new ProcessBuilder("cat"), SpawnOptions.defaults().withInput(missing)).join());

        assertThat(failure).cause().isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing");
    }

    @Test
    void inputForARedirectedStdinIsRefusedBeforeAnythingStarts() throws Exception {
        long descriptors = OsProbe.openDescriptors();

        Throwable refused = catchThrowable(() -> Spawner.run(new ProcessBuilder("cat").redirectInput(Redirect.INHERIT),
                SpawnOptions.defaults().withInput(new byte[1])));

        assertThat(refused).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("options give standard input, but the builder redirects it: INHERIT");
        assertThat(OsProbe.openDescriptors()).isEqualTo(descriptors);
        assertThat(OsProbe.zombieChildren()).isEmpty();
    }

    @Test
    void startFeedsTheInputToo() throws IOException, InterruptedException {
        ChildProcess wc = Spawner.start(new ProcessBuilder("wc", "-c"), SpawnOptions.defaults().withInput(MEGABYTE));

        assertThat(new String(wc.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip())
                .isEqualTo(Integer.toString(MEGABYTE.length));
        assertThat(wc.waitFor()).isZero();
    }
}
