package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hazard of signalling by pid: once a child is reaped its pid can be given to an unrelated
 * process, which a later {@code destroy()} would kill. The test forces that reuse with the pid
 * namespace's {@code ns_last_pid} and checks that the stranger survives every way of destroying
 * the old child.
 */
@Tag("watcher")
class PidReuseTest {

    private static final Path NS_LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");

    @Test
    void aReapedChildsPidIsNeverSignalledAgainEvenWhenReused() throws Exception {
        assumeTrue(Files.isWritable(NS_LAST_PID), "needs CAP_SYS_ADMIN to choose the next pid");
        Process old = Spawner.start(new ProcessBuilder("sleep", "30"));
        long pid = old.pid();
        old.destroyForcibly();
        assertThat(old.waitFor()).isEqualTo(137);

        Process stranger = startWithPid(pid);
        try {
            assertThat(stranger.pid()).as("the pid was reused").isEqualTo(pid);

            old.destroy();
            old.destroyForcibly();
            assertThat(old.toHandle().destroy()).isFalse();
            assertThat(old.toHandle().destroyForcibly()).isFalse();
            assertThat(old.toHandle().isAlive()).isFalse();

            assertThat(stranger.waitFor(300, TimeUnit.MILLISECONDS)).as("the stranger exited").isFalse();
            assertThat(OsProbe.isRunning(pid)).isTrue();
        } finally {
            stranger.destroyForcibly().waitFor();
        }
    }

    /** Starts {@code sleep 30} as process {@code pid}, retrying if another process takes the number first. */
    private static Process startWithPid(long pid) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            Files.writeString(NS_LAST_PID, Long.toString(pid - 1));
            Process process = new ProcessBuilder("sleep", "30").start();
            if (process.pid() == pid) {
                return process;
            }
            process.destroyForcibly().waitFor();
        }
        throw new AssertionError("could not get pid " + pid + " reused");
    }
}
