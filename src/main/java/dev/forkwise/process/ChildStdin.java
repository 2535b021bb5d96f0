package dev.forkwise.process;

import dev.forkwise.spawn.Descriptor;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A child's standard input as {@code Process} hands it out: buffered like {@code ProcessBuilder}'s
 * (bytes reach the child on {@link #flush()}, on {@link #close()} or when the buffer is full), and,
 * like it, closed when the child exits so that a stream the user never closes does not hold the
 * descriptor; later writes fail as on a closed stream.
 *
 * <p>The exit hook never blocks: if a writer holds the stream at that moment, the writer closes
 * the descriptor when it lets go.
 */
final class ChildStdin extends OutputStream {

    private static final int BUFFER_SIZE = 8192;

    private final PipeWriter pipe;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock: the pipe until the child exits, then a stream that refuses writes. */
    private OutputStream sink;
    /** Guarded by lock: allocated on the first small write; most children's inputs are never written. */
    private byte[] buffer;
    /** Guarded by lock. */
    private int count;
    private volatile boolean exited;

    /** Writes to the pipe {@code fd}, which this stream owns; it is closed when the stream is, or becomes unreachable. */
    ChildStdin(Descriptor fd) {
        this.pipe = new PipeWriter(fd);
        this.sink = pipe;
        DescriptorCleaner.closeWhenUnreachable(this, pipe);   // forgets its registration too
    }

    @Override
    public void write(int b) throws IOException {
        lock.lock();
        try {
            if (buffer == null) {
                buffer = new byte[BUFFER_SIZE];
            } else if (count == BUFFER_SIZE) {
                flushBuffer();
            }
            buffer[count++] = (byte) b;
        } finally {
            unlock();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        lock.lock();
        try {
            if (length >= BUFFER_SIZE) {
                flushBuffer();
                sink.write(bytes, offset, length);
                return;
            }
            if (buffer == null) {
                buffer = new byte[BUFFER_SIZE];
            } else if (length > BUFFER_SIZE - count) {
                flushBuffer();
            }
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        } finally {
            unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            flushBuffer();
        } finally {
            unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (sink == pipe) {
                flushBuffer();
            }
        } finally {
            pipe.close();
            unlock();
        }
    }

    /** Called once the child has exited: closes the descriptor now, or when the writer holding the stream lets go. */
    void processExited() {
        exited = true;
        if (lock.tryLock()) {
            unlock();
        }
    }

    private void flushBuffer() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            sink.write(buffer, 0, n);
        }
    }

    /** Releases the lock, closing the pipe first if the child has exited. */
    private void unlock() {
        if (exited && sink == pipe) {
            sink = NullStreams.OUTPUT;
            pipe.close();
        }
        lock.unlock();
    }
}
