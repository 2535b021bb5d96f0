package dev.forkwise.bindings;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

/** What the hand-written layer adds: errno as a negated result, and the running architecture's epoll_event. */
class LibcTest {

    @Test
    void failuresReturnMinusErrno() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment missing = arena.allocateFrom("/nonexistent/forkwise-" + ProcessHandle.current().pid());
            assertThat(Libc.faccessat(forkwise_h.AT_FDCWD(), missing, forkwise_h.F_OK(), 0))
                    .isEqualTo(-forkwise_h.ENOENT());
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertThat(Libc.pipe2(fds, -1)).isEqualTo(-forkwise_h.EINVAL());
        }
    }

    @Test
    void successesReturnTheResult() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertThat(Libc.pipe2(fds, forkwise_h.O_CLOEXEC())).isZero();
            assertThat(Libc.writeNonBlocking(fds.getAtIndex(ValueLayout.JAVA_INT, 1), new byte[] {1, 2, 3}, 0, 3))
                    .isEqualTo(3);
            assertThat(Libc.close(fds.getAtIndex(ValueLayout.JAVA_INT, 0))).isZero();
            assertThat(Libc.close(fds.getAtIndex(ValueLayout.JAVA_INT, 1))).isZero();
        }
    }

    @Test
    void virtualThreadsGetErrnoToo() throws InterruptedException {
        AtomicInteger result = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                result.set(Libc.pipe2(arena.allocate(ValueLayout.JAVA_INT, 2), -1));
            }
        }).join();
        assertThat(result).hasValue(-forkwise_h.EINVAL());
    }

    @Test
    void epollEventIsPackedOnX86_64Only() {
        StructLayout x86 = Libc.epollEventLayout("amd64");
        assertThat(x86.byteSize()).isEqualTo(12);
        assertThat(x86.byteOffset(groupElement("data"))).isEqualTo(4);
        assertThat(x86).isEqualTo(Libc.epollEventLayout("x86_64"));
        StructLayout arm = Libc.epollEventLayout("aarch64");
        assertThat(arm.byteSize()).isEqualTo(16);
        assertThat(arm.byteOffset(groupElement("data"))).isEqualTo(8);
    }

    @Test
    void epollGivesBackTheTokenThroughTheRunningLayout() {
        int epoll = Libc.epoll_create1(forkwise_h.EPOLL_CLOEXEC());
        int event = Libc.eventfd(1, forkwise_h.EFD_CLOEXEC());
        assertThat(epoll).isNotNegative();
        assertThat(event).isNotNegative();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(Libc.EPOLL_EVENT);
            Libc.epoll_event_events(request, forkwise_h.EPOLLIN());
            Libc.epoll_event_data(request, 0x1234_5678_9abc_def0L);
            assertThat(Libc.epoll_ctl(epoll, forkwise_h.EPOLL_CTL_ADD(), event, request)).isZero();
            MemorySegment ready = arena.allocate(Libc.EPOLL_EVENT, 2);
            assertThat(Libc.epoll_wait(epoll, ready, 2, 1000)).isEqualTo(1);
            assertThat(Libc.epoll_event_data(ready)).isEqualTo(0x1234_5678_9abc_def0L);
            assertThat(Libc.epoll_event_events(ready) & forkwise_h.EPOLLIN()).isNotZero();
        } finally {
            Libc.close(event);
            Libc.close(epoll);
        }
    }
}
