package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.Descriptor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.forkwise.OsProbe.pipe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hazard of adding one descriptor to the epoll set twice: the second {@code EPOLL_CTL_ADD}
 * fails with {@code EEXIST}, so a stream that waits a second time must re-arm its registration
 * instead. {@link OneShotWatch} registers once and re-arms after.
 */
class OneRegistrationPerDescriptorTest {

    @Test
    void aSecondAddOfTheSameDescriptorFails() throws Exception {
        int[] ends = pipe();
        try {
            EventLoop loop = EventLoop.instanceUnchecked();
            long token = loop.register(ends[0], forkwise_h.EPOLLIN() | forkwise_h.EPOLLONESHOT(), (t, events) -> { });
            loop.forget(token);
            assertThatThrownBy(() -> loop.register(ends[0], forkwise_h.EPOLLIN(), (t, events) -> { }))
                    .isInstanceOf(IOException.class).hasMessageContaining(forkwise_h.strerror(forkwise_h.EEXIST()).getString(0));
        } finally {
            Libc.close(ends[0]);
            Libc.close(ends[1]);
        }
    }

    @Test
    void aOneShotWatchArmedAgainAndAgainSeesEveryEvent() throws Exception {
        int[] ends = pipe();
        Descriptor readEnd = new Descriptor(ends[0]);
        Semaphore events = new Semaphore(0);
        AtomicInteger calls = new AtomicInteger();
        OneShotWatch watch = new OneShotWatch(readEnd, forkwise_h.EPOLLIN(), (token, mask) -> {
            calls.incrementAndGet();
            events.release();
        });
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment oneByte = arena.allocate(1);
            for (int round = 1; round <= 3; round++) {
                watch.arm();   // registers the first time, re-arms after: never a second add
                assertThat(Libc.write(ends[1], oneByte, 1)).isEqualTo(1);
                assertThat(events.tryAcquire(30, TimeUnit.SECONDS)).as("event of round " + round).isTrue();
                assertThat(Libc.read(ends[0], oneByte, 1)).isEqualTo(1);
            }
        } finally {
            watch.forget();
            readEnd.close();
            Libc.close(ends[1]);
        }
        assertThat(calls.get()).isEqualTo(3);
    }
}
