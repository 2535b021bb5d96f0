package dev.forkwise.process;

import dev.forkwise.OsProbe;
import dev.forkwise.spawn.ChildStdio;
import dev.forkwise.spawn.Pidfds;
import dev.forkwise.spawn.PosixSpawn;
import dev.forkwise.spawn.ProcessGroupMode;
import dev.forkwise.spawn.SpawnRequest;
import dev.forkwise.support.Await;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hazard of a deadline that passes as the child exits by itself: the child has exited, but the
 * watcher has not reaped it yet, so "not reaped" does not mean "running". The deadline must not
 * mark such a child timed out nor signal it. The interleaving is forced: the child is started
 * unwatched and is a zombie when the deadline's step runs; then the test reaps it.
 */
class DeadlineAtExitTest {

    @Test
    void aDeadlineAtAnExitNotYetReapedDoesNotTimeOutAChildHeldByPidfd() throws Exception {
        assumeTrue(Pidfds.supported(), "pidfds need Linux 5.4");
        aDeadlineAtAnExitNotYetReapedDoesNotTimeOutTheChild(true);
    }

    @Test
    void aDeadlineAtAnExitNotYetReapedDoesNotTimeOutAChildHeldByPid() throws Exception {
        aDeadlineAtAnExitNotYetReapedDoesNotTimeOutTheChild(false);
    }

    @Test
    void aDeadlineAtAnExitTheJdkHasNotReapedDoesNotTimeOutADelegatedChild() throws Exception {
        SpawnedProcess zombie = exitedUnreaped(false);
        DelegatedProcess delegated = new DelegatedProcess(new AliveAsFarAsTheJdkKnows(zombie.pid()));
        AtomicBoolean timedOut = new AtomicBoolean();

        assertThat(delegated.terminateUnlessExited(() -> timedOut.set(true))).as("signal sent").isFalse();
        assertThat(timedOut).as("marked timed out").isFalse();
        zombie.exited();
        assertThat(zombie.waitFor()).isZero();
    }

    @Test
    void aDeadlineBeforeTheExitStillTerminatesTheChild() throws Exception {
        SpawnRequest request = request(List.of("sleep", "infinity"), Pidfds.supported());
        SpawnedProcess running = SpawnedProcess.unwatched(PosixSpawn.start(request), request);
        AtomicBoolean timedOut = new AtomicBoolean();

        assertThat(running.terminateUnlessExited(() -> timedOut.set(true))).as("signal sent").isTrue();
        assertThat(timedOut).isTrue();
        Await.until("the terminated child a zombie", () -> OsProbe.zombieChildren().contains(running.pid()));
        running.exited();
        assertThat(running.waitFor()).as("ended by SIGTERM").isEqualTo(143);
    }

    private static void aDeadlineAtAnExitNotYetReapedDoesNotTimeOutTheChild(boolean pidfd) throws Exception {
        SpawnedProcess zombie = exitedUnreaped(pidfd);
        AtomicBoolean timedOut = new AtomicBoolean();

        assertThat(zombie.terminateUnlessExited(() -> timedOut.set(true))).as("signal sent").isFalse();
        assertThat(timedOut).as("marked timed out").isFalse();
        zombie.exited();
        assertThat(zombie.waitFor()).as("its own exit value").isZero();
    }

    /** {@return a child that has exited by itself and that nobody has reaped} */
    private static SpawnedProcess exitedUnreaped(boolean pidfd) throws Exception {
        SpawnRequest request = request(List.of("true"), pidfd);
        SpawnedProcess child = SpawnedProcess.unwatched(PosixSpawn.start(request), request);
        Await.until("child " + child.pid() + " a zombie", () -> OsProbe.zombieChildren().contains(child.pid()));
        return child;
    }

    private static SpawnRequest request(List<String> command, boolean pidfd) {
        return new SpawnRequest(command, null, null, ChildStdio.INHERIT, ChildStdio.INHERIT, ChildStdio.INHERIT,
                false, ProcessGroupMode.INHERIT, pidfd);
    }

    /** A {@code Process} as the JDK's is between a child's exit and the JDK's reap: it reports the child alive. */
    private static final class AliveAsFarAsTheJdkKnows extends Process {
        private final long pid;

        AliveAsFarAsTheJdkKnows(long pid) {
            this.pid = pid;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public boolean isAlive() {
            return true;
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int exitValue() {
            throw new IllegalThreadStateException("process hasn't exited");
        }

        @Override
        public void destroy() {
            throw new UnsupportedOperationException("the test's process is never signalled");
        }

        @Override
        public ProcessHandle toHandle() {
            throw new UnsupportedOperationException("the test's process is never signalled");
        }
    }
}
