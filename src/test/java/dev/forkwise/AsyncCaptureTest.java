package dev.forkwise;

import dev.forkwise.support.Await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hazards of reading a child's output asynchronously: the deadlock of a child that fills the
 * pipe nobody reads, a slow consumer filling memory, a line or character split between chunks.
 */
@Tag("watcher")
@Tag("fallback-too")
class AsyncCaptureTest {

    private static final int MB = 1 << 20;

    @Test
    void aCallerReadingOnlyStdoutFinishesWhileTheChildFillsStderrFirst() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("sh", "-c",
                "head -c 1048576 /dev/zero >&2; echo done"), SpawnOptions.defaults());

        String stdout = child.stdout().text(StandardCharsets.US_ASCII).get(60, TimeUnit.SECONDS);

        assertThat(stdout).isEqualTo("done\n");
        assertThat(child.waitFor()).isZero();
        assertThat(child.stderr().bytes().get(60, TimeUnit.SECONDS)).hasSize(MB);
    }

    @Test
    void linesArriveInOrderAndTheLastLineNeedsNoTerminator() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("printf", "one\\ntwo\\r\\nthree\\rfour"),
                SpawnOptions.defaults());
        List<String> lines = Collections.synchronizedList(new ArrayList<>());

        child.stdout().lines(StandardCharsets.UTF_8, lines::add).get(60, TimeUnit.SECONDS);

        assertThat(lines).containsExactly("one", "two", "three", "four");
    }

    @Test
    void multibyteCharactersSplitAcrossChunksDecodeWhole(@TempDir Path dir) throws Exception {
        String line = "ü日本✓".repeat(40_000);   // ~360 KB of UTF-8: many chunks, split anywhere
        Path file = Files.writeString(dir.resolve("text"), line + "\n" + line + "\n", StandardCharsets.UTF_8);
        ChildProcess child = Spawner.start(new ProcessBuilder("cat", file.toString()), SpawnOptions.defaults());
        List<String> lines = Collections.synchronizedList(new ArrayList<>());

        child.stdout().lines(StandardCharsets.UTF_8, lines::add).get(60, TimeUnit.SECONDS);

        assertThat(lines).containsExactly(line, line);
    }

    /**
     * The child (the shell itself, with its {@code printf} builtin) writes 256 blocks of 64 KiB and
     * after each one appends how much it has written to a file. The consumer stalls on its first
     * chunk; once the child is blocked writing into the full pipe, it must have written no more than
     * the pipe holds plus the chunks forkwise holds, a few blocks, and nothing may have been
     * delivered past the first chunk. Then every byte must arrive.
     */
    @Test
    void aSlowConsumerSlowsTheChildInsteadOfFillingMemory(@TempDir Path dir) throws Exception {
        Path progress = dir.resolve("written");
        ChildProcess child = Spawner.start(new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 256 ]; do"
                + " printf '%65536s' ''; i=$((i + 1)); echo $((i * 65536)) >&2; done; echo finished >&2")
                .redirectError(progress.toFile()), SpawnOptions.defaults());
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Void> done = child.stdout().chunks(chunk -> {
            if (calls.incrementAndGet() == 1) {
                awaitQuietly(release);   // the consumer stalls on its first chunk
            }
            received.addAndGet(chunk.remaining());
        });

        long written = Await.until("the child blocked in write(2) to its stdout (or past the bound); bytes written so far",
                () -> writtenSoFar(progress), bytes -> bytes > BOUND || isBlockedWritingAPipe(child.pid()));
        assertThat(written).as("bytes the child wrote while the consumer was stalled").isLessThanOrEqualTo(BOUND);
        assertThat(child.isAlive()).as("the child is blocked writing into the full pipe").isTrue();
        assertThat(calls.get()).as("callbacks while the first one stalls").isEqualTo(1);
        assertThat(received.get()).isZero();

        release.countDown();
        done.get(60, TimeUnit.SECONDS);
        assertThat(received.get()).isEqualTo(16L * MB);
        assertThat(child.waitFor()).isZero();
        assertThat(Files.readAllLines(progress)).last().isEqualTo("finished");
    }

    /** A pipe (64 KiB), the chunk the consumer holds (64 KiB at most) and as much again read ahead, in 64 KiB blocks, plus a block of slack. */
    private static final long BOUND = 4 * 65536;

    private static long writtenSoFar(Path progress) {
        try {
            List<String> lines = Files.readAllLines(progress);
            return lines.stream().filter(line -> line.matches("\\d+")).mapToLong(Long::parseLong).max().orElse(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The kernel names where a sleeping process waits: {@code pipe_write} (or {@code anon_pipe_write}) for a full pipe. */
    private static boolean isBlockedWritingAPipe(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "wchan")).contains("pipe_write");
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    @Test
    void aConsumerThatThrowsFailsItsFutureAndTheChildStillFinishes() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("head", "-c", "1048576", "/dev/zero"), SpawnOptions.defaults());
        IllegalStateException boom = new IllegalStateException("boom");

        CompletableFuture<Void> done = child.stdout().chunks((ByteBuffer chunk) -> {
            throw boom;
        });

        assertThatThrownBy(() -> done.get(60, TimeUnit.SECONDS)).hasCause(boom);
        assertThat(child.waitFor()).isZero();
    }

    @Test
    void anOutputIsClaimedOnceAndItsStreamRefusesReadsAfterwards() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("echo", "hi"), SpawnOptions.defaults());
        CompletableFuture<byte[]> bytes = child.stdout().bytes();

        assertThatThrownBy(() -> child.stdout().discard()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> child.getInputStream().read()).hasMessageContaining("read asynchronously");
        assertThat(bytes.get(60, TimeUnit.SECONDS)).isEqualTo("hi\n".getBytes(StandardCharsets.US_ASCII));

        ChildProcess read = Spawner.start(new ProcessBuilder("echo", "hi"), SpawnOptions.defaults());
        assertThat(read.getInputStream().read()).isEqualTo('h');
        assertThatThrownBy(() -> read.stdout().bytes()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRedirectedOutputEndsAtOnceEmpty() throws Exception {
        ProcessResult result = Spawner.run(new ProcessBuilder("sh", "-c", "echo out; echo err >&2")
                .redirectErrorStream(true)).get(60, TimeUnit.SECONDS);

        assertThat(result.stdout(StandardCharsets.US_ASCII)).isEqualTo("out\nerr\n");
        assertThat(result.stderr()).isEmpty();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
