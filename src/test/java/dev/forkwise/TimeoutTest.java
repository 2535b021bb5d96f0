package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The hazard of a child that never ends: a deadline terminates it, escalating to SIGKILL, and says so. */
@Tag("watcher")
class TimeoutTest {

    /**
     * A deadline that must not pass before the child has said it is ready (trap installed,
     * grandchildren started): the one place where a test gives a child time, since a deadline
     * runs from the start. Starting a shell takes milliseconds even on a slow machine.
     */
    private static final Duration READY_WITHIN = Duration.ofSeconds(2);

    @Test
    void aChildThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; exec sleep infinity"),
                SpawnOptions.defaults().withTimeout(READY_WITHIN, Duration.ofMillis(300)));
        assertThat(child.inputReader().readLine()).isEqualTo("ready");

        assertThat(child.waitFor()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(child.timedOut()).isTrue();
    }

    @Test
    void aChildThatHonoursSigtermEndsAtTheDeadline() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("sleep", "infinity"),
                SpawnOptions.defaults().withTimeout(Duration.ofMillis(200)));

        assertThat(child.waitFor()).as("ended by SIGTERM").isEqualTo(143);
        assertThat(child.timedOut()).isTrue();
    }

    @Test
    void aChildThatEndsInTimeHasNotTimedOut() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("sh", "-c", "exit 3"),
                SpawnOptions.defaults().withTimeout(Duration.ofSeconds(30)));

        assertThat(child.waitFor()).isEqualTo(3);
        assertThat(child.timedOut()).isFalse();
    }

    @Test
    void theDeadlineOfAGroupLeaderEndsTheWholeGroup() throws Exception {
        ChildProcess shell = Spawner.start(new ProcessBuilder("sh", "-c", "sleep infinity & sleep infinity & echo started; wait"),
                SpawnOptions.defaults().inNewProcessGroup().withTimeout(READY_WITHIN));
        assertThat(shell.inputReader().readLine()).isEqualTo("started");
        List<Long> grandchildren = shell.children().map(ProcessHandle::pid).toList();
        assertThat(grandchildren).as("grandchildren seen before the deadline").hasSize(2);

        assertThat(shell.waitFor()).isEqualTo(143);
        assertThat(shell.timedOut()).isTrue();
        ProcessGroupTest.awaitGone(grandchildren);
    }
}
