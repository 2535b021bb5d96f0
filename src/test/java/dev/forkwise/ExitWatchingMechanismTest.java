package dev.forkwise;

import dev.forkwise.bindings.Libc;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Spawner.mechanism()} says how exits are watched: pidfds, or the per-child threads when forced or missing. */
@Tag("watcher")
class ExitWatchingMechanismTest {

    @Test
    void theMechanismNamesTheExitWatcherInUse() {
        String expected = "threads".equals(System.getProperty("dev.forkwise.exitWatcher"))
                ? "one waiting thread per child"
                : "pidfd + epoll on one watcher thread";

        assertThat(Spawner.mechanism().exitWatching()).startsWith(expected);
        assertThat(Spawner.mechanism().toString()).contains(expected);
    }

    @Test
    void theMechanismNamesTheCallThatCreatesChildren() {
        boolean pidfds = !"threads".equals(System.getProperty("dev.forkwise.exitWatcher"));
        String expected = pidfds && Libc.has("pidfd_spawn") && Libc.has("pidfd_getpid") ? "pidfd_spawn (glibc "
                : pidfds ? "posix_spawn + pidfd_open (glibc " : "posix_spawn (glibc ";

        assertThat(Spawner.mechanism().toString()).startsWith(expected);
    }
}
