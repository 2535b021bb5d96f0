package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The hazards of watching a child's output as it comes: lines out of order or lost, the wrong
 * level, a consumer that cannot see the caller's thread-local state, and output that is watched
 * but then missing from the result.
 */
@Tag("watcher")
@Tag("fallback-too")
class OutputLinesTest {

    /** A System.Logger that records "LEVEL message" for each record. */
    static final class RecordingLogger implements System.Logger {
        final List<String> records = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            records.add(level + " " + message);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (bundle != null) {
                throw new MissingResourceException("no bundles here", "", "");
            }
            records.add(level + " " + format);
        }
    }

    private static final String SCRIPT = "for i in $(seq 1 2000); do echo \"out $i\"; done; echo 'err 1' >&2; echo 'err 2' >&2";

    @Test
    void everyLineReachesTheLoggerInOrderAtItsStreamsLevel() throws Exception {
        RecordingLogger logger = new RecordingLogger();

        ProcessResult result = Spawner.run(new ProcessBuilder("sh", "-c", SCRIPT),
                SpawnOptions.defaults().withOutputLogger(logger, Level.INFO, Level.WARNING)).join();

        List<String> expectedOut = java.util.stream.IntStream.rangeClosed(1, 2000).mapToObj(i -> "INFO out " + i).toList();
        assertThat(logger.records.stream().filter(r -> r.startsWith("INFO")).toList()).isEqualTo(expectedOut);
        assertThat(logger.records.stream().filter(r -> r.startsWith("WARNING")).toList())
                .containsExactly("WARNING err 1", "WARNING err 2");
        assertThat(logger.records).hasSize(2002);
        assertThat(result.stdoutLines(StandardCharsets.UTF_8)).hasSize(2000).endsWith("out 2000");
        assertThat(result.stderr(StandardCharsets.UTF_8)).isEqualTo("err 1\nerr 2\n");
    }

    @Test
    void aLevelOfOffDropsThatStreamsLines() throws Exception {
        RecordingLogger logger = new RecordingLogger();

        Spawner.run(new ProcessBuilder("sh", "-c", "echo quiet; echo loud >&2"),
                SpawnOptions.defaults().withOutputLogger(logger, Level.OFF, Level.ERROR)).join();

        assertThat(logger.records).containsExactly("ERROR loud");
    }

    @Test
    void consumersGetLinesInTheirCharsetAndSeeTheirExecutorsThreadLocal() throws Exception {
        ThreadLocal<String> requestId = new ThreadLocal<>();
        ExecutorService withRequestId = Executors.newSingleThreadExecutor(runnable -> new Thread(() -> {
            requestId.set("request-7");
            runnable.run();
        }));
        List<String> seen = new CopyOnWriteArrayList<>();
        requestId.set("request-7");
        try {
            Spawner.run(new ProcessBuilder("printf", "caf\\351\\n"), SpawnOptions.defaults()
                    .withOutputLines(StandardCharsets.ISO_8859_1, line -> seen.add(line + " " + requestId.get()), line -> { })
                    .withCallbackExecutor(withRequestId)).join();
            Spawner.run(new ProcessBuilder("printf", "caf\\351\\n"), SpawnOptions.defaults()
                    .withOutputLines(StandardCharsets.ISO_8859_1, line -> seen.add(line + " " + requestId.get()), line -> { }))
                    .join();
        } finally {
            requestId.remove();
            withRequestId.shutdown();
        }

        assertThat(seen).as("the documented hop: the default virtual threads do not see the caller's ThreadLocal")
                .containsExactly("café request-7", "café null");
    }

    @Test
    void aConsumerThatThrowsFailsTheRun() throws Exception {
        CompletionException failure = catchThrowableOfType(CompletionException.class, () ->
                Spawner.run(new ProcessBuilder("sh", "-c", SCRIPT), SpawnOptions.defaults()
                        .withOutputLines(StandardCharsets.UTF_8, line -> {
                            throw new IllegalStateException("consumer broke at " + line);
                        }, line -> { })).join());

        assertThat(failure).cause().isInstanceOf(IllegalStateException.class).hasMessage("consumer broke at out 1");
    }

    @Test
    void startHandsTheLinesOverAndClaimsTheOutputs() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ChildProcess child = Spawner.start(new ProcessBuilder("sh", "-c", "echo one; echo two >&2"),
                SpawnOptions.defaults().withOutputLines(StandardCharsets.UTF_8, lines::add, lines::add));

        assertThatThrownBy(() -> child.stdout().bytes()).isInstanceOf(IllegalStateException.class);
        assertThat(child.waitFor()).isZero();
        dev.forkwise.support.Await.until("both lines handed over", () -> lines.size() == 2);
        assertThat(lines).containsExactlyInAnyOrder("one", "two");
    }
}
