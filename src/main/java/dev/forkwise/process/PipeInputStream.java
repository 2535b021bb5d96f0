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
 * The unbuffered read end of a pipe from a child. Not thread-safe: {@link ProcessInputStream}
 * serialises its use, except {@link #close()}, which {@link Descriptor} makes safe at any time.
 */
final class PipeInputStream extends InputStream {

    private static final int CHUNK = 8192;

    private final Descriptor fd;
    private MemorySegment buffer;   // allocated on first read; freed with this stream by the GC

    PipeInputStream(Descriptor fd) {
        this.fd = fd;
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
        if (buffer == null) {
            buffer = Arena.ofAuto().allocate(CHUNK);
        }
        fd.acquire();
        try {
            long n;
            do {
                n = Libc.read(fd.fd(), buffer, Math.min(length, CHUNK));
            } while (n == -forkwise_h.EINTR());
            if (n < 0) {
                throw new IOException(Libc.strerror((int) -n));
            }
            if (n == 0) {
                return -1;
            }
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, bytes, offset, (int) n);
            return (int) n;
        } finally {
            fd.release();
        }
    }

    @Override
    public int available() throws IOException {
        fd.acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            int result = Libc.ioctl(fd.fd(), forkwise_h.FIONREAD(), count);
            if (result < 0) {
                throw new IOException(Libc.strerror(-result));
            }
            return count.get(ValueLayout.JAVA_INT, 0);
        } finally {
            fd.release();
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
