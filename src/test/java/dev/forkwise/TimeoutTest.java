package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The hazard of a child that never ends: a deadline terminates it, escalating to SIGKILL, and says so. */
@Tag("watcher")
class TimeoutTest {

    @Test
    void aChildThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; exec sleep 100"),
                SpawnOptions.defaults().withTimeout(Duration.ofMillis(500), Duration.ofMillis(300)));
        assertThat(child.inputReader().readLine()).isEqualTo("ready");

        assertThat(child.waitFor()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(child.timedOut()).isTrue();
    }

    @Test
    void aChildThatHonoursSigtermEndsAtTheDeadline() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("sleep", "100"),
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
        ChildProcess shell = Spawner.start(new ProcessBuilder("sh", "-c", "sleep 100 & sleep 100 & echo started; wait"),
                SpawnOptions.defaults().inNewProcessGroup().withTimeout(Duration.ofMillis(500)));
        assertThat(shell.inputReader().readLine()).isEqualTo("started");
        List<Long> grandchildren = shell.children().map(ProcessHandle::pid).toList();

        assertThat(shell.waitFor()).isEqualTo(143);
        assertThat(shell.timedOut()).isTrue();
        ProcessGroupTest.awaitGone(grandchildren);
    }
}
