package dev.forkwise;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Invariant 3's second half: a writer outside forkwise (here another process) keeps the
 * executable busy. A start retries with a bounded backoff: it succeeds if the writer lets go in
 * time, and otherwise fails with an {@code IOException} that names the file and says why.
 */
class BusyExecutableTest {

    @Test
    void aStartWaitsOutAWriterThatLetsGoSoon(@TempDir Path dir) throws Exception {
        Path tool = ProcessBuilderParityTest.executable(dir, "tool", "#!/bin/sh\nexit 0\n");
        Process holder = holdOpenForWriting(tool, "0.2");

        Process process = Spawner.start(new ProcessBuilder(tool.toString()));

        assertThat(process.waitFor()).isZero();
        holder.waitFor();
    }

    @Test
    void aWriterThatNeverLetsGoFailsTheStartWithAClearMessage(@TempDir Path dir) throws Exception {
        Path tool = ProcessBuilderParityTest.executable(dir, "tool", "#!/bin/sh\nexit 0\n");
        Process holder = holdOpenForWriting(tool, "30");
        try {
            IOException failure = catchThrowableOfType(IOException.class,
                    () -> Spawner.start(new ProcessBuilder(tool.toString())));

            assertThat(failure).hasMessageStartingWith("Cannot run program \"" + tool + "\": ")
                    .hasMessageContaining("26 (Text file busy)")
                    .hasMessageContaining(tool + " is open for writing outside forkwise");
            assertThat(failure.getCause()).isInstanceOf(IOException.class);
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    /**
     * Starts a shell that opens {@code file} for writing as its descriptor 3 and sleeps; returns once
     * it has it open. (Watching for that with a lease probe would be wrong: the shell's open would
     * break the lease and the kernel would send this JVM SIGIO.)
     */
    private static Process holdOpenForWriting(Path file, String seconds) throws Exception {
        Process holder = new ProcessBuilder("sh", "-c", "exec 3>>\"$1\"; exec sleep \"$2\"", "sh",
                file.toString(), seconds).start();
        Path descriptor = Path.of("/proc", Long.toString(holder.pid()), "fd", "3");
        while (!file.equals(readLink(descriptor))) {
            Thread.onSpinWait();
        }
        return holder;
    }

    private static Path readLink(Path link) {
        try {
            return Files.readSymbolicLink(link);
        } catch (IOException notYet) {
            return null;
        }
    }
}
