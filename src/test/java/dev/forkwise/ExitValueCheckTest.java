package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The hazard of a failed command that goes unnoticed, or is noticed without a clue:
 * {@code requireExitValue} throws with the command, the exit value and the end of standard error.
 */
@Tag("watcher")
@Tag("fallback-too")
class ExitValueCheckTest {

    @Test
    void aFailedCommandThrowsWithItsCommandExitValueAndTheEndOfStderr() throws Exception {
        ProcessResult result = Spawner.run(new ProcessBuilder("sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo \"complaint $i\" >&2; done; exit 3")).join();

        ProcessFailedException failure = catchThrowableOfType(ProcessFailedException.class, result::requireExitValue);

        assertThat(failure.getMessage())
                .startsWith("Process " + result.pid() + " [sh -c 'for i in")
                .contains("exited with 3, expected 0; standard error ends with:\ncomplaint 3\n")
                .endsWith("complaint 12")
                .doesNotContain("complaint 2\n");
        assertThat(failure.result()).isSameAs(result);
    }

    @Test
    void theCheckIsAStageOfTheFuture() throws Exception {
        CompletionException failure = catchThrowableOfType(CompletionException.class, () ->
                Spawner.run(new ProcessBuilder("sh", "-c", "echo no such branch >&2; exit 128"))
                        .thenApply(ProcessResult::requireExitValue).join());

        assertThat(failure).cause().isInstanceOf(ProcessFailedException.class)
                .hasMessageEndingWith("exited with 128, expected 0; standard error ends with:\nno such branch");
    }

    @Test
    void anAcceptedExitValuePassesTheResultThrough() throws Exception {
        ProcessResult grep = Spawner.run(new ProcessBuilder("sh", "-c", "exit 1")).join();

        assertThat(grep.requireExitValue(0, 1)).isSameAs(grep);
        assertThat(catchThrowableOfType(ProcessFailedException.class, () -> grep.requireExitValue(0, 2)))
                .hasMessageContaining("exited with 1, expected 0 or 2; it wrote nothing");
    }

    @Test
    void aMergedStderrIsQuotedFromStdout() throws Exception {
        ProcessResult merged = Spawner.run(new ProcessBuilder("sh", "-c", "echo broken >&2; exit 2")
                .redirectErrorStream(true)).join();

        assertThat(catchThrowableOfType(ProcessFailedException.class, merged::requireExitValue))
                .hasMessageEndingWith("exited with 2, expected 0; standard output ends with:\nbroken");
    }

    @Test
    void aChildEndedAtItsDeadlineFailsTheCheckWhateverItsExitValue() throws Exception {
        // exits 0 on SIGTERM: only the timed-out mark tells that it did not finish
        ProcessResult result = Spawner.run(new ProcessBuilder("sh", "-c", "trap 'exit 0' TERM; sleep infinity & wait"),
                SpawnOptions.defaults().withTimeout(Duration.ofMillis(500))).join();

        assertThat(result.exitValue()).as("its trap's exit value").isZero();
        assertThat(result.timedOut()).isTrue();
        assertThat(catchThrowableOfType(ProcessFailedException.class, () -> result.requireExitValue(0, 143)))
                .hasMessageContaining("after its deadline passed");
    }

    @Test
    void resultLinesAreSplitLikeReadLineInTheGivenCharset() throws Exception {
        ProcessResult result = Spawner.run(new ProcessBuilder("printf", "gr\\303\\274n\\r\\nblau\\rrot\\n\\nlast")).join();

        assertThat(result.stdoutLines(StandardCharsets.UTF_8)).containsExactly("grün", "blau", "rot", "", "last");
        assertThat(result.stdoutLines(StandardCharsets.ISO_8859_1).getFirst()).isEqualTo("grÃ¼n");
        assertThat(result.stderrLines(StandardCharsets.UTF_8)).isEqualTo(List.of());
        assertThat(result.command()).containsExactly("printf", "gr\\303\\274n\\r\\nblau\\rrot\\n\\nlast");
    }
}
