package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.Descriptor;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The unbuffered, non-blocking write end of a pipe to a child: {@code write} parks while the pipe
 * is full, until the {@link EventLoop} reports it writable. Writing to a child that closed its end
 * fails with {@code IOException: Broken pipe} (the JVM ignores {@code SIGPIPE}).
 *
 * <p>Not thread-safe for writes: {@link ChildStdin} serialises them.
 */
final class PipeWriter extends OutputStream {

    private final Descriptor fd;
    private final Readiness writable;

    PipeWriter(Descriptor fd) {
        this.fd = fd;
        this.writable = new Readiness(fd, forkwise_h.EPOLLOUT());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            long n;
            fd.acquire();
            try {
                n = Libc.writeNonBlocking(fd.fd(), bytes, offset, length);
            } finally {
                fd.release();
            }
            if (n >= 0) {
                offset += (int) n;
                length -= (int) n;
            } else if (n == -forkwise_h.EAGAIN()) {
                writable.await();
            } else if (n != -forkwise_h.EINTR()) {
                throw new IOException(forkwise_h.strerror((int) -n).getString(0));
            }
        }
    }

    /** Closes the descriptor, waking a parked writer. */
    @Override
    public void close() {
        fd.close();
        writable.close();
    }
}
