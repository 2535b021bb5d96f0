package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.Descriptor;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The unbuffered write end of a pipe to a child. Writing to a child that closed its end fails with
 * {@code IOException: Broken pipe} (the JVM ignores {@code SIGPIPE}). Not thread-safe:
 * {@link ProcessOutputStream} serialises its use.
 */
final class PipeOutputStream extends OutputStream {

    private static final int CHUNK = 8192;

    private final Descriptor fd;
    private MemorySegment buffer;   // allocated on first write; freed with this stream by the GC

    PipeOutputStream(Descriptor fd) {
        this.fd = fd;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (buffer == null) {
            buffer = Arena.ofAuto().allocate(CHUNK);
        }
        fd.acquire();
        try {
            while (length > 0) {
                int chunk = Math.min(length, CHUNK);
                MemorySegment.copy(bytes, offset, buffer, ValueLayout.JAVA_BYTE, 0, chunk);
                int written = 0;
                while (written < chunk) {
                    long n = Libc.write(fd.fd(), buffer.asSlice(written), chunk - written);
                    if (n == -forkwise_h.EINTR()) {
                        continue;
                    }
                    if (n < 0) {
                        throw new IOException(Libc.strerror((int) -n));
                    }
                    written += (int) n;
                }
                offset += chunk;
                length -= chunk;
            }
        } finally {
            fd.release();
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
