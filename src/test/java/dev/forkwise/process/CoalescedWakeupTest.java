package dev.forkwise.process;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a hand-off that costs a system call per task: a burst of {@link EventLoop#execute}
 * calls wrote the loop's eventfd once per task. A hand-off from another thread writes only when no
 * wake-up is pending, and one from the loop thread never writes.
 */
class CoalescedWakeupTest {

    private static final int TASKS = 1_000;

    @Test
    void aBurstOfHandOffsWhileTheLoopIsBusyWakesItOnce() throws Exception {
        EventLoop loop = EventLoop.instanceUnchecked();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(TASKS);
        loop.execute(() -> {
            busy.countDown();
            await(release);
        });
        assertThat(busy.await(1, TimeUnit.MINUTES)).isTrue();
        long before = loop.wakeups();
        for (int i = 0; i < TASKS; i++) {
            loop.execute(done::countDown);
        }
        long during = loop.wakeups() - before;
        release.countDown();
        assertThat(done.await(1, TimeUnit.MINUTES)).isTrue();
        // At most one write for the whole burst (none when a wake-up was still pending from the
        // first hand-off, queued while the loop was draining); a little slack for other users of
        // this JVM's loop. That every task ran shows no wake-up was lost.
        assertThat(during).isLessThanOrEqualTo(5L);
    }

    @Test
    void handOffsFromTheLoopThreadDoNotWriteTheEventfd() throws Exception {
        EventLoop loop = EventLoop.instanceUnchecked();
        CountDownLatch done = new CountDownLatch(TASKS);
        long[] writes = new long[1];
        CountDownLatch queued = new CountDownLatch(1);
        loop.execute(() -> {
            long before = loop.wakeups();
            for (int i = 0; i < TASKS; i++) {
                loop.execute(done::countDown);
            }
            writes[0] = loop.wakeups() - before;
            queued.countDown();
        });
        assertThat(queued.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(done.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(writes[0]).isLessThanOrEqualTo(5L);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
