package dev.forkwise;

import dev.forkwise.support.Await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hazard of destroying only the child: a shell's own children outlive it. A child started as
 * a process group leader can be destroyed with everything it started.
 */
@Tag("watcher")
class ProcessGroupTest {

    @Test
    void destroyingTheGroupKillsTheShellAndEveryGrandchild() throws Exception {
        ChildProcess shell = Spawner.start(new ProcessBuilder("sh", "-c", "sleep infinity & sleep infinity & echo started; wait"),
                SpawnOptions.defaults().inNewProcessGroup());
        assertThat(shell.inputReader().readLine()).isEqualTo("started");
        List<Long> grandchildren = shell.children().map(ProcessHandle::pid).toList();
        assertThat(grandchildren).hasSize(2);

        shell.destroyProcessGroupForcibly();

        assertThat(shell.waitFor()).isEqualTo(137);
        awaitGone(grandchildren);
    }

    @Test
    void theGroupCanBeDestroyedAfterItsLeaderHasExited() throws Exception {
        ChildProcess shell = Spawner.start(new ProcessBuilder("sh", "-c", "sleep infinity & echo $!"),
                SpawnOptions.defaults().inNewProcessGroup());
        long orphan = Long.parseLong(shell.inputReader().readLine());
        assertThat(shell.waitFor()).isZero();
        assertThat(OsProbe.isRunning(orphan)).isTrue();

        assertThat(shell.destroyProcessGroup()).isTrue();

        awaitGone(List.of(orphan));
    }

    @Test
    void theChildLeadsItsGroupOrSession() throws Exception {
        long[] parent = OsProbe.groupAndSession(ProcessHandle.current().pid());
        for (SpawnOptions options : List.of(SpawnOptions.defaults(), SpawnOptions.defaults().inNewProcessGroup(),
                SpawnOptions.defaults().inNewSession())) {
            ChildProcess child = Spawner.start(new ProcessBuilder("sh", "-c", "cut -d' ' -f5,6 /proc/$$/stat"), options);
            String[] ids = new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
            assertThat(child.waitFor()).isZero();
            long group = Long.parseLong(ids[0]);
            long session = Long.parseLong(ids[1]);
            switch (options.processGroup()) {
                case INHERIT -> assertThat(new long[] {group, session}).containsExactly(parent);
                case NEW_GROUP -> assertThat(new long[] {group, session}).containsExactly(child.pid(), parent[1]);
                case NEW_SESSION -> assertThat(new long[] {group, session}).containsExactly(child.pid(), child.pid());
            }
            assertThat(child.isProcessGroupLeader()).isEqualTo(options.processGroup() != SpawnOptions.ProcessGroup.INHERIT);
        }
    }

    @Test
    void aChildInItsParentsGroupHasNoGroupToDestroy() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("true"), SpawnOptions.defaults());
        child.waitFor();

        assertThatThrownBy(child::destroyProcessGroup).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not lead a process group");
    }

    /** Waits until none of {@code pids} runs; reparented orphans are reaped by init, which may take a moment. */
    static void awaitGone(List<Long> pids) throws InterruptedException {
        Await.until("every one of " + pids + " gone; survivors", () -> pids.stream().filter(OsProbe::isRunning).toList(),
                List::isEmpty);
    }
}
