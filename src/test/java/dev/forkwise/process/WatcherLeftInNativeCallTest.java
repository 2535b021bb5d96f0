package dev.forkwise.process;

import dev.forkwise.OsProbe;
import dev.forkwise.Spawner;
import dev.forkwise.support.Await;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a watcher thread left in {@code epoll_wait} once the last child is gone: HotSpot
 * holds up a JVM's exit for up to 300 ms while any thread is inside a native call, so every
 * short-lived program that started a process paid that at its exit. With nothing to watch, the
 * watcher must wait in Java (parked), and a new child or a hand-off must still wake it.
 *
 * <p>It runs in a JVM of its own, whose only children are the probe's: the watcher of the test
 * JVM may still watch other tests' children.
 */
class WatcherLeftInNativeCallTest {

    @Test
    void afterTheLastChildTheWatcherParksAndANewChildOrAHandOffWakesIt() throws Exception {
        Process probe = new ProcessBuilder(OsProbe.javaCommand(Probe.class)).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor()).as("probe exit status; its output:%n%s", output).isZero();

        List<String> lines = output.lines().toList();
        assertThat(lines).as("after the first child").contains("idle after first child: parked");
        assertThat(lines).as("while a child runs").contains("child running: in epoll_wait");
        assertThat(lines).as("the running child's exit").contains("exit seen by the watcher: 0");
        assertThat(lines).as("after the second child").contains("idle after second child: parked");
        assertThat(lines).as("a hand-off to the parked watcher").contains("hand-off ran: true");
        assertThat(lines).as("after the hand-off").contains("idle after hand-off: parked");
    }

    /** The child JVM's program. */
    public static final class Probe {

        private Probe() {
        }

        public static void main(String[] args) throws Exception {
            Process first = Spawner.start(new ProcessBuilder("true"));
            first.waitFor();
            Thread watcher = watcher();
            System.out.println("idle after first child: " + awaitParked(watcher));

            Process cat = Spawner.start(new ProcessBuilder("cat"));
            Await.until("the watcher waiting in epoll_wait for cat", () -> inEpollWait(watcher));
            System.out.println("child running: in epoll_wait");
            cat.getOutputStream().close();
            // onExit, not waitFor: a platform thread in waitFor would see the exit on the pidfd itself.
            System.out.println("exit seen by the watcher: " + cat.onExit().get(60, TimeUnit.SECONDS).exitValue());
            System.out.println("idle after second child: " + awaitParked(watcher));

            CountDownLatch ran = new CountDownLatch(1);
            EventLoop.instance().execute(ran::countDown);
            System.out.println("hand-off ran: " + ran.await(60, TimeUnit.SECONDS));
            System.out.println("idle after hand-off: " + awaitParked(watcher));
        }

        private static Thread watcher() throws IOException {
            EventLoop.instance();
            return Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().equals("forkwise-watcher"))
                    .findFirst().orElseThrow(() -> new AssertionError("no forkwise-watcher thread"));
        }

        /** Waits until {@code watcher} is parked for want of work, in Java, and says so. */
        private static String awaitParked(Thread watcher) throws InterruptedException {
            Await.until("the watcher parked, out of native code", () -> watcher.getState() == Thread.State.WAITING
                    && Arrays.stream(watcher.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("awaitWork")));
            return "parked";
        }

        private static boolean inEpollWait(Thread watcher) {
            return watcher.getState() == Thread.State.RUNNABLE && Arrays.stream(watcher.getStackTrace())
                    .limit(3).anyMatch(frame -> frame.getMethodName().equals("epoll_wait"));
        }
    }
}
