package dev.forkwise.process;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a cancelled timer that stays in the event loop's queue until its deadline: a
 * deadline's action holds its process and streams, so a loop of short children with a one-hour
 * timeout each would keep every one of them for an hour.
 */
class CancelledTimerTest {

    private static final int TIMERS = 1000;

    private final EventLoop loop = EventLoop.instanceUnchecked();

    @Test
    void aTimerCancelledFromAnotherThreadLeavesTheQueueAtOnce() throws Exception {
        List<EventLoop.Timer> timers = new ArrayList<>();
        for (int i = 0; i < TIMERS; i++) {
            timers.add(loop.schedule(1, TimeUnit.HOURS, () -> { }));
        }
        assertThat(queued(timers)).as("queued before the cancel").isEqualTo(TIMERS);

        timers.forEach(EventLoop.Timer::cancel);

        assertThat(queued(timers)).as("queued after the cancel").isZero();
    }

    @Test
    void aTimerCancelledOnTheLoopThreadLeavesTheQueueAtOnce() throws Exception {
        CompletableFuture<List<EventLoop.Timer>> scheduled = new CompletableFuture<>();
        loop.execute(() -> {
            List<EventLoop.Timer> timers = new ArrayList<>();
            for (int i = 0; i < TIMERS; i++) {
                timers.add(loop.schedule(1, TimeUnit.HOURS, () -> { }));
            }
            timers.forEach(EventLoop.Timer::cancel);   // before the tasks that queue them have run
            scheduled.complete(timers);
        });
        List<EventLoop.Timer> timers = scheduled.get(30, TimeUnit.SECONDS);
        assertThat(queued(timers)).as("queued after a cancel before queueing").isZero();

        List<EventLoop.Timer> queuedFirst = new ArrayList<>();
        for (int i = 0; i < TIMERS; i++) {
            queuedFirst.add(loop.schedule(1, TimeUnit.HOURS, () -> { }));
        }
        assertThat(queued(queuedFirst)).isEqualTo(TIMERS);
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        loop.execute(() -> {
            queuedFirst.forEach(EventLoop.Timer::cancel);
            cancelled.complete(null);
        });
        cancelled.get(30, TimeUnit.SECONDS);
        assertThat(queued(queuedFirst)).as("queued after a cancel on the loop thread").isZero();
    }

    @Test
    void aCancelledTimerNeverRunsAndTheOthersDo() throws Exception {
        CompletableFuture<String> ran = new CompletableFuture<>();
        loop.execute(() -> {   // on the loop thread, so that neither can run before the cancel
            EventLoop.Timer cancelled = loop.schedule(0, TimeUnit.NANOSECONDS, () -> ran.complete("cancelled one"));
            cancelled.cancel();
            loop.schedule(0, TimeUnit.NANOSECONDS, () -> ran.complete("the other"));
        });
        assertThat(ran.get(30, TimeUnit.SECONDS)).isEqualTo("the other");
    }

    /** {@return how many of {@code timers} are queued}, asked on the loop thread after every task handed to it before */
    private int queued(List<EventLoop.Timer> timers) throws Exception {
        CompletableFuture<Integer> count = new CompletableFuture<>();
        loop.execute(() -> count.complete((int) timers.stream().filter(loop::isQueued).count()));
        return count.get(30, TimeUnit.SECONDS);
    }
}
