package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.Descriptor;
import dev.forkwise.support.Await;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.forkwise.OsProbe.isOpen;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a stream that waited on the event loop once and was then dropped unclosed: the
 * cleaner closes its descriptor, and must forget its loop registration as well, or the handler
 * stays registered for the life of the JVM, one per dropped stream.
 */
class CleanedStreamRegistrationTest {

    private final EventLoop loop = EventLoop.instanceUnchecked();

    @Test
    void aStreamClosedByTheCleanerLeavesNoRegistration() throws Exception {
        int[] ends = nonBlockingPipe();
        long token = readOnceAfterWaitingThenDrop(ends);

        Await.until("the descriptor closed and the registration forgotten after collections (open, registered)", () -> {
            System.gc();
            return isOpen(ends[0]) + ", " + loop.isRegistered(token);
        }, state -> state.equals("false, false"));
        Libc.close(ends[1]);
    }

    /** A virtual thread's read that waits on the loop registers the pipe; the stream is unreachable on return. */
    private long readOnceAfterWaitingThenDrop(int[] ends) throws Exception {
        DescriptorCleaner.start();   // a start does this before it makes streams; run alone, no start came first
        ChildOutput stream = new ChildOutput(new Descriptor(ends[0]));
        AtomicInteger read = new AtomicInteger(-2);
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                read.set(stream.read());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Await.blockedIn(reader, "await");
        try (Arena arena = Arena.ofConfined()) {
            assertThat(Libc.write(ends[1], arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 'x'), 1)).isEqualTo(1);
        }
        reader.join();
        assertThat(read.get()).isEqualTo('x');
        long token = stream.registration();
        assertThat(token).as("the read waited on the loop").isNotNegative();
        assertThat(loop.isRegistered(token)).as("registered while the stream lives").isTrue();
        return token;
    }

    private static int[] nonBlockingPipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertThat(Libc.pipe2(fds, forkwise_h.O_CLOEXEC() | forkwise_h.O_NONBLOCK())).isZero();
            return fds.toArray(ValueLayout.JAVA_INT);
        }
    }
}
