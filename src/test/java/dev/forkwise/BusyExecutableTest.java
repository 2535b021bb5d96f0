package dev.forkwise;

import dev.forkwise.support.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Invariant 3's second half: a writer outside forkwise (here another process) keeps the
 * executable busy. A start retries with a bounded backoff: it succeeds if the writer lets go in
 * time, and otherwise fails with an {@code IOException} that names the file and says why.
 */
class BusyExecutableTest {

    /** The holder lets go when the test sees the start backing off, in its first retry's sleep. */
    @Test
    void aStartWaitsOutAWriterThatLetsGoSoon(@TempDir Path dir) throws Exception {
        Path tool = ProcessBuilderParityTest.executable(dir, "tool", "#!/bin/sh\nexit 0\n");
        Process holder = holdOpenForWriting(tool);

        startLettingGoOfTheWriterInTheBackoff(tool, holder);
    }

    /**
     * Starts {@code tool} on a thread of its own; once that start is backing off in its first
     * retry's sleep, lets {@code holder} go (its read ends, it exits, closing the file), and checks
     * that the start then succeeds and its child exits 0.
     */
    static void startLettingGoOfTheWriterInTheBackoff(Path tool, Process holder) throws Exception {
        CompletableFuture<Process> started = new CompletableFuture<>();
        Thread starter = Thread.ofPlatform().start(() -> {
            try {
                started.complete(Spawner.start(new ProcessBuilder(tool.toString())));
            } catch (Throwable t) {
                started.completeExceptionally(t);
            }
        });

        Await.blockedIn(starter, "sleep");
        holder.getOutputStream().close();
        assertThat(holder.waitFor()).isZero();

        assertThat(started.get(60, TimeUnit.SECONDS).waitFor()).isZero();
        starter.join();
    }

    @Test
    void aWriterThatNeverLetsGoFailsTheStartWithAClearMessage(@TempDir Path dir) throws Exception {
        Path tool = ProcessBuilderParityTest.executable(dir, "tool", "#!/bin/sh\nexit 0\n");
        Process holder = holdOpenForWriting(tool);
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
     * Starts a shell that opens {@code file} for writing as its descriptor 3, says so, and holds it
     * until its stdin closes; returns once it has it open. (Watching for that with a lease probe
     * would be wrong: the shell's open would break the lease and the kernel would send this JVM SIGIO.)
     */
    static Process holdOpenForWriting(Path file) throws Exception {
        Process holder = new ProcessBuilder("sh", "-c", "exec 3>>\"$1\"; echo ready; read line; exit 0", "sh", file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(holder.inputReader().readLine()).as("the holder's ready line").isEqualTo("ready");
        assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(holder.pid()), "fd", "3")))
                .as("what the holder's descriptor 3 is").isEqualTo(file);
        return holder;
    }
}
