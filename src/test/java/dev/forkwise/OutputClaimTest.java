package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.forkwise.support.Await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hazards of the rule by which an output passes from its {@code InputStream} to
 * {@link ProcessOutput}: a claim that fails must take nothing away from the caller, and the first
 * claim must take the other unused output along, so the child cannot block on it. Both kinds of
 * child follow the one rule: these run on the posix_spawn path and again with the fallback forced.
 */
@Tag("watcher")
@Tag("fallback-too")
class OutputClaimTest {

    private static ChildProcess startWritingBoth() throws IOException {
        return Spawner.start(new ProcessBuilder("sh", "-c", "echo out; echo err >&2"), SpawnOptions.defaults());
    }

    @Test
    void aRefusedClaimLeavesTheOtherOutputWithItsStream() throws Exception {
        ChildProcess child = startWritingBoth();
        assertThat(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("out\n");

        assertThatThrownBy(() -> child.stdout().bytes()).isInstanceOf(IllegalStateException.class);

        assertThat(new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .as("stderr, still the caller's to read").isEqualTo("err\n");
        assertThat(child.waitFor()).isZero();
    }

    @Test
    void aRefusedClaimClaimsNothingAndTheOtherOutputCanStillBeClaimed() throws Exception {
        ChildProcess child = startWritingBoth();
        child.getInputStream().readAllBytes();

        assertThatThrownBy(() -> child.stdout().bytes()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("InputStream");
        assertThatThrownBy(() -> child.stdout().bytes()).as("the same answer again, not 'already claimed'")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("InputStream");

        assertThat(child.stderr().text(StandardCharsets.UTF_8).get(30, TimeUnit.SECONDS)).isEqualTo("err\n");
        assertThat(child.waitFor()).isZero();
    }

    @Test
    void theFirstClaimTakesTheOtherUnusedOutputAlong() throws Exception {
        ChildProcess child = startWritingBoth();
        var stdout = child.stdout().bytes();

        assertThatThrownBy(() -> child.getErrorStream().read()).as("stderr's stream, handed over")
                .isInstanceOf(IOException.class).hasMessageContaining("asynchronously");
        assertThat(new String(stdout.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("out\n");
        assertThat(new String(child.stderr().bytes().get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                .as("what was kept for the claim that came later").isEqualTo("err\n");
        assertThat(child.waitFor()).isZero();
    }

    @Test
    void aClaimDoesNotWaitForAReaderBlockedOnTheOtherOutput() throws Exception {
        // stderr comes only after the test writes a line to stdin: until then its reader is blocked
        ChildProcess child = Spawner.start(new ProcessBuilder("sh", "-c", "echo out; read line; echo err >&2"),
                SpawnOptions.defaults());
        CompletableFuture<String> stderr = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                stderr.complete(new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                stderr.completeExceptionally(e);
            }
        });
        Await.blockedIn(reader, "readAllBytes");

        CompletableFuture<CompletableFuture<byte[]>> claim = CompletableFuture.supplyAsync(() -> child.stdout().bytes());
        CompletableFuture<byte[]> stdout;
        try {
            // bounded only so that a regression fails instead of hanging: the reader is released below
            stdout = claim.get(30, TimeUnit.SECONDS);
        } finally {
            try (OutputStream stdin = child.getOutputStream()) {
                stdin.write('\n');
            }
        }

        assertThat(new String(stdout.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("out\n");
        assertThat(stderr.get(30, TimeUnit.SECONDS)).as("stderr, still the reader's").isEqualTo("err\n");
        assertThat(child.waitFor()).isZero();
    }
}
