package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.Descriptor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The unbuffered, non-blocking read end of a pipe from a child. {@code read} tries the system call
 * first and, when the pipe is empty, parks until the {@link EventLoop} reports it readable: no
 * read blocks in native code, so a virtual thread never pins its carrier. {@link #close()} from
 * another thread wakes a parked reader, which then fails with "Stream closed".
 *
 * <p>Not thread-safe for reads: {@link ChildOutput} serialises them.
 */
final class PipeReader extends InputStream {

    private final Descriptor fd;
    private final Readiness readable;
    /** The last read emptied the pipe: the next one waits for data first, saving a read that would fail. */
    private boolean emptied;

    PipeReader(Descriptor fd) {
        this.fd = fd;
        this.readable = new Readiness(fd, forkwise_h.EPOLLIN());
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        if (emptied) {
            readable.await();
        }
        while (true) {
            long n;
            fd.acquire();
            try {
                n = Libc.readNonBlocking(fd.fd(), bytes, offset, length);
            } finally {
                fd.release();
            }
            if (n > 0) {
                emptied = n < length;
                return (int) n;
            }
            if (n == 0) {
                return -1;
            }
            if (n == -forkwise_h.EAGAIN()) {
                readable.await();
            } else if (n != -forkwise_h.EINTR()) {
                throw new IOException(forkwise_h.strerror((int) -n).getString(0));
            }
        }
    }

    @Override
    public int available() throws IOException {
        fd.acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            int result = Libc.ioctl(fd.fd(), forkwise_h.FIONREAD(), count);
            if (result < 0) {
                throw new IOException(forkwise_h.strerror(-result).getString(0));
            }
            return count.get(ValueLayout.JAVA_INT, 0);
        } finally {
            fd.release();
        }
    }

    /** {@return the event-loop registration's token, or -1 if no read has waited yet}; for tests */
    long registration() {
        return readable.registration();
    }

    /** Closes the descriptor, waking a parked reader. */
    @Override
    public void close() {
        fd.close();
        readable.close();
    }
}
