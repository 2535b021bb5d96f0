package dev.forkwise;

import dev.forkwise.support.Await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a deadline cancelled by the child's exit that stays queued until it is due, its
 * action holding the {@link ChildProcess} and its streams: {@code Spawner.run} with a one-hour
 * timeout in a loop would grow the heap for an hour. Both kinds of child: the event loop's timers,
 * and the scheduler of the {@code ProcessBuilder} fallback. A long-running child's earlier deadline
 * is pending meanwhile, as in a server that starts short children: a queue that dropped cancelled
 * timers only from its head would keep every one behind it.
 */
@Tag("watcher")
@Tag("fallback-too")
class CancelledDeadlineTest {

    private static final int CHILDREN = 20;

    @Test
    void aChildWhoseDeadlineWasCancelledByItsExitBecomesUnreachable() throws Exception {
        ChildProcess longRunning = Spawner.start(new ProcessBuilder("sleep", "infinity"),
                SpawnOptions.defaults().withTimeout(Duration.ofMinutes(30)));
        try {
            List<WeakReference<ChildProcess>> children = new ArrayList<>();
            for (int i = 0; i < CHILDREN; i++) {
                children.add(startAndWait());
            }

            Await.until("children collected after collections, of " + CHILDREN, () -> {
                System.gc();
                return children.stream().filter(child -> child.get() == null).count();
            }, collected -> collected == CHILDREN);
        } finally {
            longRunning.destroyForcibly().waitFor();
        }
        assertThat(longRunning.timedOut()).isFalse();
    }

    private static WeakReference<ChildProcess> startAndWait() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("true"), SpawnOptions.defaults().withTimeout(Duration.ofHours(1)));
        assertThat(child.waitFor()).isZero();
        assertThat(child.timedOut()).isFalse();
        return new WeakReference<>(child);
    }
}
