package dev.forkwise;

import dev.forkwise.support.Skip;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

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
        Skip.unless(Files.isWritable(NS_LAST_PID), "needs CAP_SYS_ADMIN (root) to choose the next pid through " + NS_LAST_PID);
        Process old = Spawner.start(new ProcessBuilder("sleep", "infinity"));
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

            // A signal sent to the stranger by any call above is pending before the call returns, so a
            // stranger that still echoes a line has survived them all.
            stranger.getOutputStream().write("still here\n".getBytes(StandardCharsets.US_ASCII));
            stranger.getOutputStream().flush();
            assertThat(stranger.inputReader().readLine()).as("the stranger's echo").isEqualTo("still here");
            assertThat(OsProbe.isRunning(pid)).isTrue();
        } finally {
            stranger.destroyForcibly().waitFor();
        }
    }

    /** Starts {@code cat} as process {@code pid}, retrying if another process takes the number first. */
    private static Process startWithPid(long pid) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            Files.writeString(NS_LAST_PID, Long.toString(pid - 1));
            Process process = new ProcessBuilder("cat").start();
            if (process.pid() == pid) {
                return process;
            }
            process.destroyForcibly().waitFor();
        }
        throw new AssertionError("could not get pid " + pid + " reused");
    }
}
