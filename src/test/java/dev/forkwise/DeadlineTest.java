package dev.forkwise;

import dev.forkwise.support.Gate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The hazards of a deadline that is only half kept: grandchildren left running because the child
 * leads no process group, and a timeout that a caller must remember to ask about.
 */
@Tag("watcher")
@Tag("fallback-too")
class DeadlineTest {

    /** A deadline that must not pass before the child has said it is ready; see TimeoutTest. */
    private static final Duration READY_WITHIN = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void aDeadlineWithoutAProcessGroupEndsTheGrandchildrenToo() throws Exception {
        try (Gate gate = Gate.in(dir)) {
            ChildProcess shell = Spawner.start(new ProcessBuilder("sh", "-c",
                            "(read line < \"$0\") & (read line < \"$0\") & echo started; wait", gate.fifo().toString()),
                    SpawnOptions.defaults().withTimeout(READY_WITHIN));
            assertThat(shell.inputReader().readLine()).isEqualTo("started");
            List<Long> grandchildren = shell.children().map(ProcessHandle::pid).toList();
            assertThat(grandchildren).as("grandchildren seen before the deadline").hasSize(2);

            assertThat(shell.waitFor()).isEqualTo(143);
            assertThat(shell.timedOut()).isTrue();
            ProcessGroupTest.awaitGone(grandchildren);
        }
    }

    @Test
    void aGrandchildThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        try (Gate gate = Gate.in(dir)) {
            ChildProcess shell = Spawner.start(new ProcessBuilder("sh", "-c",
                            "(trap '' TERM; read line < \"$0\") & echo started; wait", gate.fifo().toString()),
                    SpawnOptions.defaults().withTimeout(READY_WITHIN, Duration.ofMillis(300)));
            assertThat(shell.inputReader().readLine()).isEqualTo("started");
            List<Long> grandchildren = shell.children().map(ProcessHandle::pid).toList();
            assertThat(grandchildren).hasSize(1);

            assertThat(shell.waitFor()).isEqualTo(143);
            ProcessGroupTest.awaitGone(grandchildren);
        }
    }

    @Test
    void failOnTimeoutFailsTheRunWithATimeoutException() throws Exception {
        CompletionException failure = catchThrowableOfType(CompletionException.class, () ->
                Spawner.run(new ProcessBuilder("sh", "-c", "echo still working >&2; exec sleep infinity"),
                        SpawnOptions.defaults().withTimeout(Duration.ofMillis(200)).failOnTimeout()).join());

        assertThat(failure).cause().isInstanceOf(TimeoutException.class)
                .hasMessageContaining(" [sh -c 'echo still working >&2; exec sleep infinity'] did not exit within PT0.2S"
                        + " and was terminated (exit value 143); standard error ends with:\nstill working");
    }

    @Test
    void withoutFailOnTimeoutTheResultSaysItTimedOut() throws Exception {
        ProcessResult result = Spawner.run(new ProcessBuilder("sleep", "infinity"),
                SpawnOptions.defaults().withTimeout(Duration.ofMillis(200))).join();

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitValue()).isEqualTo(143);
    }

    @Test
    void failOnTimeoutLeavesAChildThatEndsInTimeAlone() throws Exception {
        ProcessResult result = Spawner.run(new ProcessBuilder("sh", "-c", "exit 4"),
                SpawnOptions.defaults().withTimeout(Duration.ofSeconds(30)).failOnTimeout()).join();

        assertThat(result.exitValue()).isEqualTo(4);
        assertThat(result.timedOut()).isFalse();
    }
}
