package dev.forkwise;

import dev.forkwise.support.Gate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The hazard of a child's life that a JFR recording cannot see, or sees without the code that
 * caused it: a start not traced to its caller (as {@code jdk.ProcessStart} is), a failed start, a
 * start held up by a busy executable, an exit, a deadline's signals. Each case records in this JVM
 * with a {@code Recording} and reads the events back from its file; events are matched to the
 * case by pid, command or executable, since other tests' children may exit meanwhile. Runs again
 * with a reaper thread per child ({@code watcher}), which reaps, and so records exits, on another path.
 */
@Tag("watcher")
class UnrecordedLifecycleTest {

    private static final List<String> EVENTS = List.of("dev.forkwise.ProcessStart", "dev.forkwise.ProcessStartFailed",
            "dev.forkwise.BusyExecutableRetry", "dev.forkwise.ProcessExit", "dev.forkwise.DeadlineKill");

    /** A deadline that must not pass before the child has said it is ready; see TimeoutTest. */
    private static final Duration READY_WITHIN = Duration.ofSeconds(2);

    private static final AtomicInteger RECORDINGS = new AtomicInteger();

    @TempDir
    Path dir;

    @Test
    void aStartIsRecordedWithItsCallersStackAndItsExitWithItsLife() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "exit 3").directory(dir.toFile());
        long[] pid = new long[1];
        List<RecordedEvent> events = record(() -> {
            Process child = Spawner.start(builder);
            pid[0] = child.pid();
            assertThat(child.waitFor()).isEqualTo(3);
            child.onExit().join();   // the exit is recorded before onExit() completes
        });

        RecordedEvent start = only(events, "dev.forkwise.ProcessStart", pid[0]);
        assertThat(start.getString("command")).isEqualTo("sh -c exit 3");
        assertThat(start.getString("directory")).isEqualTo(dir.toString());
        assertThat(start.getString("executable")).endsWith("/sh");
        assertThat(start.getInt("busyRetries")).isZero();
        assertThat(Spawner.mechanism().toString()).startsWith(start.getString("mechanism") + " (glibc ");
        assertThat(methodsOf(start)).as("the start's stack")
                .contains(getClass().getName() + ".aStartIsRecordedWithItsCallersStackAndItsExitWithItsLife");

        RecordedEvent exit = only(events, "dev.forkwise.ProcessExit", pid[0]);
        assertThat(exit.getInt("exitValue")).isEqualTo(3);
        assertThat(exit.getInt("signal")).isZero();
        assertThat(exit.getStartTime()).as("the life begins when the start has ended").isAfterOrEqualTo(start.getEndTime());
        assertThat(exit.getDuration()).as("the child's life").isPositive();
    }

    @Test
    void aMissingProgramIsRecordedAsAFailedStartWithTheJdksMessage() throws Exception {
        String missing = dir.resolve("missing").toString();
        IOException[] failures = new IOException[1];
        List<RecordedEvent> events = record(() -> failures[0] = catchThrowableOfType(IOException.class,
                () -> Spawner.start(new ProcessBuilder(missing, "an argument"))));
        IOException expected = catchThrowableOfType(IOException.class, () -> new ProcessBuilder(missing).start());

        assertThat(failures[0]).hasMessage(expected.getMessage());
        List<RecordedEvent> failed = named(events, "dev.forkwise.ProcessStartFailed").stream()
                .filter(event -> event.getString("command").startsWith(missing)).toList();
        assertThat(failed).hasSize(1);
        RecordedEvent event = failed.getFirst();
        assertThat(event.getString("command")).isEqualTo(missing + " an argument");
        assertThat(event.getString("directory")).isNull();
        assertThat(event.getString("failure")).isEqualTo(expected.getCause().getMessage());
        assertThat(event.getInt("busyRetries")).isZero();
        assertThat(methodsOf(event)).as("the failed start's stack").anyMatch(method -> method.startsWith(
                getClass().getName() + ".lambda$aMissingProgramIsRecordedAsAFailedStartWithTheJdksMessage$"));
        assertThat(named(events, "dev.forkwise.ProcessStart"))
                .noneMatch(start -> start.getString("command").startsWith(missing));
    }

    /** As {@code BusyExecutableTest}: the holder lets go once the start is in its first backoff's sleep. */
    @Test
    void eachBusyExecutableRetryIsRecordedAndCountedByItsStart() throws Exception {
        Path tool = ProcessBuilderParityTest.executable(dir, "tool", "#!/bin/sh\nexit 0\n");
        Process holder = BusyExecutableTest.holdOpenForWriting(tool);
        List<RecordedEvent> events = record(() -> BusyExecutableTest.startLettingGoOfTheWriterInTheBackoff(tool, holder));

        List<RecordedEvent> retries = retriesOf(events, tool);
        RecordedEvent start = named(events, "dev.forkwise.ProcessStart").stream()
                .filter(event -> event.getString("command").equals(tool.toString())).findFirst().orElseThrow();
        assertThat(retries).as("retries recorded").hasSize(start.getInt("busyRetries")).hasSizeGreaterThanOrEqualTo(2);
        assertRetriesInOrder(retries);
        assertThat(retries.subList(0, retries.size() - 1)).allMatch(retry -> retry.getBoolean("stillBusy"));
        assertThat(retries.getLast().getBoolean("stillBusy")).as("the last retry found the file free").isFalse();
    }

    @Test
    void aWriterThatNeverLetsGoIsRecordedInEveryRetryOfTheFailedStart() throws Exception {
        Path tool = ProcessBuilderParityTest.executable(dir, "tool", "#!/bin/sh\nexit 0\n");
        Process holder = BusyExecutableTest.holdOpenForWriting(tool);
        IOException[] failure = new IOException[1];
        List<RecordedEvent> events;
        try {
            events = record(() -> failure[0] = catchThrowableOfType(IOException.class,
                    () -> Spawner.start(new ProcessBuilder(tool.toString()))));
        } finally {
            holder.destroyForcibly().waitFor();
        }

        List<RecordedEvent> retries = retriesOf(events, tool);
        RecordedEvent failed = named(events, "dev.forkwise.ProcessStartFailed").stream()
                .filter(event -> event.getString("command").equals(tool.toString())).findFirst().orElseThrow();
        assertThat(retries).hasSize(failed.getInt("busyRetries"));
        assertRetriesInOrder(retries);
        assertThat(retries).allMatch(retry -> retry.getBoolean("stillBusy"));
        assertThat(failure[0]).hasMessageContaining("still busy after " + (retries.size() + 1) + " attempts");
        assertThat(failure[0].getCause()).hasMessage(failed.getString("failure"));
    }

    @Test
    void aDeadlineIsRecordedWithEachSignalItSentAndTheExitTheyCaused() throws Exception {
        Duration grace = Duration.ofMillis(300);
        long[] pid = new long[1];
        List<RecordedEvent> events;
        try (Gate gate = Gate.in(dir)) {
            events = record(() -> {
                ChildProcess child = Spawner.start(new ProcessBuilder("sh", "-c",
                                "trap '' TERM; echo ready; read line < \"$0\"", gate.fifo().toString()),
                        SpawnOptions.defaults().withTimeout(READY_WITHIN, grace));
                pid[0] = child.pid();
                assertThat(child.inputReader().readLine()).isEqualTo("ready");
                assertThat(child.waitFor()).isEqualTo(137);
                assertThat(child.timedOut()).isTrue();
                child.onExit().join();
            });
        }

        List<RecordedEvent> kills = named(events, "dev.forkwise.DeadlineKill").stream()
                .filter(event -> event.getLong("pid") == pid[0])
                .sorted(Comparator.comparing(RecordedEvent::getStartTime)).toList();
        assertThat(kills).extracting(kill -> kill.getString("signal")).containsExactly("SIGTERM", "SIGKILL");
        assertThat(kills).allSatisfy(kill -> {
            assertThat(kill.getDuration("timeout")).isEqualTo(READY_WITHIN);
            assertThat(kill.getDuration("gracePeriod")).isEqualTo(grace);
            assertThat(kill.getBoolean("processGroup")).isFalse();
            assertThat(kill.getInt("descendants")).isZero();
        });
        RecordedEvent exit = only(events, "dev.forkwise.ProcessExit", pid[0]);
        assertThat(exit.getInt("signal")).isEqualTo(9);
        assertThat(exit.getInt("exitValue")).isEqualTo(137);
    }

    /** The retries of {@code tool}, in order: the grace period first, then each backoff. */
    private static List<RecordedEvent> retriesOf(List<RecordedEvent> events, Path tool) {
        return named(events, "dev.forkwise.BusyExecutableRetry").stream()
                .filter(event -> event.getString("executable").equals(tool.toString()))
                .sorted(Comparator.comparingInt(event -> event.getInt("retry"))).toList();
    }

    private static void assertRetriesInOrder(List<RecordedEvent> retries) {
        for (int i = 0; i < retries.size(); i++) {
            RecordedEvent retry = retries.get(i);
            assertThat(retry.getInt("retry")).isEqualTo(i + 1);
            assertThat(retry.getString("wait")).isEqualTo(i == 0 ? "grace period" : "backoff");
            if (i > 0) {
                assertThat(retry.getInt("spawnsAwaited")).isZero();
            }
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} while a recording of forkwise's events runs; {@return the events recorded} */
    private List<RecordedEvent> record(Action action) throws Exception {
        Path file = dir.resolve("events-" + RECORDINGS.incrementAndGet() + ".jfr");
        try (Recording recording = new Recording()) {
            EVENTS.forEach(recording::enable);
            recording.start();
            action.run();
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file);
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(event -> event.getEventType().getName().equals(name)).toList();
    }

    private static RecordedEvent only(List<RecordedEvent> events, String name, long pid) {
        List<RecordedEvent> matching = named(events, name).stream().filter(event -> event.getLong("pid") == pid).toList();
        assertThat(matching).as(name + " events of pid " + pid).hasSize(1);
        return matching.getFirst();
    }

    /** {@return the methods of an event's stack, as class.method} */
    private static List<String> methodsOf(RecordedEvent event) {
        assertThat(event.getStackTrace()).as("the stack of " + event.getEventType().getName()).isNotNull();
        return event.getStackTrace().getFrames().stream().map(RecordedFrame::getMethod)
                .map(method -> method.getType().getName() + "." + method.getName()).toList();
    }
}
