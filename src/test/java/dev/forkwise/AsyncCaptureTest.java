package dev.forkwise;

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

    @Test
    void aSlowConsumerSlowsTheChildInsteadOfFillingMemory() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("sh", "-c", "head -c 16777216 /dev/zero; echo finished >&2"),
                SpawnOptions.defaults());
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Void> done = child.stdout().chunks(chunk -> {
            if (calls.incrementAndGet() == 1) {
                awaitQuietly(release);   // the consumer stalls on its first chunk
            }
            received.addAndGet(chunk.remaining());
        });

        Thread.sleep(500);
        assertThat(child.isAlive()).as("the child is blocked writing into the full pipe").isTrue();
        assertThat(received.get()).isZero();
        assertThat(calls.get()).isEqualTo(1);

        release.countDown();
        done.get(60, TimeUnit.SECONDS);
        assertThat(received.get()).isEqualTo(16L * MB);
        assertThat(child.waitFor()).isZero();
        assertThat(child.stderr().text(StandardCharsets.US_ASCII).get(60, TimeUnit.SECONDS)).isEqualTo("finished\n");
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
