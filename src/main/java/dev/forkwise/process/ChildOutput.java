package dev.forkwise.process;

import dev.forkwise.spawn.Descriptor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A child's standard output or error as {@code Process} hands it out: buffered like
 * {@code ProcessBuilder}'s, and, like it, able to give its descriptor back when the child exits
 * while keeping the bytes still in the pipe for the reader.
 *
 * <p>Unlike the JDK's, the exit hook never blocks: it runs on the one thread that watches every
 * child. If a reader holds the stream at that moment, the reader itself gives the descriptor back
 * when it reaches end of file.
 */
final class ChildOutput extends InputStream implements OutputClaims.Claimable {

    private static final int BUFFER_SIZE = 8192;
    /** What an empty pipe leaves at exit; never written, having no element. */
    private static final byte[] NOTHING = new byte[0];

    private final Descriptor fd;
    private final PipeReader pipe;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Who reads the pipe: nobody yet ({@code UNCLAIMED}), this stream ({@code USED}: it was read,
     * asked for {@code available()} or closed) or a pump ({@code HANDED_OVER}). Decided once, by
     * a compare-and-set that never waits for the read lock, so a claim does not wait for a reader
     * blocked on the pipe: the reader marked the stream used before it took the pipe.
     */
    private final AtomicInteger owner = new AtomicInteger(UNCLAIMED);
    private static final int UNCLAIMED = 0;
    private static final int USED = 1;
    private static final int HANDED_OVER = 2;
    /** Set under lock, once {@code owner} is {@code HANDED_OVER}: the pump that reads the pipe instead of this stream. */
    private volatile LoopPump pump;
    /** Guarded by lock: the pipe until the child exits, then what was left in it. */
    private InputStream source;
    /** Guarded by lock: what was left in the pipe when the child exited, once it has. */
    private byte[] remainder;
    /** Guarded by lock: allocated on the first small read; most children's outputs are never read. */
    private byte[] buffer;
    /** Guarded by lock. */
    private int position;
    /** Guarded by lock. */
    private int limit;
    private volatile boolean exited;
    private volatile boolean closed;
    /** Set by {@link #closeAfterRead}: the pipe is to be closed as soon as no thread holds the lock. */
    private volatile boolean closePending;

    /** Reads from the pipe {@code fd}, which this stream owns; it is closed when the stream is, or becomes unreachable. */
    ChildOutput(Descriptor fd) {
        this.fd = fd;
        this.pipe = new PipeReader(fd);
        this.source = pipe;
        DescriptorCleaner.closeWhenUnreachable(this, pipe);   // forgets its registration too
    }

    @Override
    public int read() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            if (position == limit && fill() <= 0) {
                return -1;
            }
            ensureNotClosedDuringRead();
            return buffer[position++] & 0xff;
        } finally {
            unlock();
        }
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        lock.lock();
        try {
            ensureOpen();
            if (length == 0) {
                return 0;
            }
            if (position == limit) {
                if (length >= BUFFER_SIZE) {
                    int n = readSource(bytes, offset, length);   // large reads bypass the buffer
                    if (n > 0) {
                        ensureNotClosedDuringRead();
                    }
                    return n;
                }
                if (fill() <= 0) {
                    return -1;
                }
                ensureNotClosedDuringRead();
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, bytes, offset, n);
            position += n;
            return n;
        } finally {
            unlock();
        }
    }

    @Override
    public int available() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            return (limit - position) + source.available();
        } finally {
            unlock();
        }
    }

    /** {@return the event-loop registration's token of its pipe, or -1 if no read has waited yet}; for tests */
    long registration() {
        return pipe.registration();
    }

    /** Closes the stream; a reader blocked on the pipe gets "Stream closed" once its read returns. */
    @Override
    public void close() {
        owner.compareAndSet(UNCLAIMED, USED);
        closed = true;
        pipe.close();
    }

    /**
     * Closes the stream as {@code Process.destroy()} closes it, as the JDK's stream does on Linux:
     * a read in progress is not woken, but keeps the pipe open until the child writes or exits,
     * then ends with -1 at end of file, or with "Stream closed" if there were bytes (which are
     * dropped, as the JDK's buffered stream drops them); later reads fail with "Stream closed".
     * So a child that writes while it handles {@code SIGTERM} does not die of
     * {@code SIGPIPE} while somebody reads it.
     */
    void closeAfterRead() {
        if (owner.compareAndSet(UNCLAIMED, USED) || owner.get() != USED) {
            close();   // never read, or read by a pump: no reader to let finish
            return;
        }
        closed = true;
        closePending = true;
        closeIfPending();
    }

    /** Unlocks, then closes the pipe if {@link #closeAfterRead} asked for it while the lock was held. */
    private void unlock() {
        lock.unlock();
        if (closePending) {
            closeIfPending();
        }
    }

    /**
     * Closes the pipe unless another thread holds the lock, which then does it in {@link #unlock()}:
     * {@code closePending} is written before this {@code tryLock} and read after that thread's
     * unlock, so one of the two sees the other.
     */
    private void closeIfPending() {
        if (lock.tryLock()) {
            try {
                if (closePending) {
                    closePending = false;
                    pipe.close();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Called once the child has exited: moves what is left in the pipe into memory and closes the
     * descriptor, unless a reader holds the stream, in which case the reader does it at end of file.
     */
    void processExited() {
        exited = true;
        LoopPump reader = pump;
        if (reader != null) {
            reader.processExited();
            return;
        }
        if (lock.tryLock()) {
            try {
                releasePipe();
            } finally {
                unlock();
            }
        }
    }

    /** Guarded by lock: after a read that got bytes, fails it if the stream was closed meanwhile. */
    private void ensureNotClosedDuringRead() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
    }

    /** Guarded by lock; the caller has checked the stream is open. */
    private int fill() throws IOException {
        if (buffer == null) {
            buffer = new byte[BUFFER_SIZE];
        }
        int n = readSource(buffer, 0, BUFFER_SIZE);
        position = 0;
        limit = Math.max(n, 0);
        return n;
    }

    private int readSource(byte[] bytes, int offset, int length) throws IOException {
        int n = source.read(bytes, offset, length);
        if (n < 0 && exited) {
            releasePipe();
        }
        return n;
    }

    /** Guarded by lock. */
    private void releasePipe() {
        if (source != pipe || closed || pump != null) {   // a pump drains the pipe itself
            return;
        }
        byte[] rest;
        try {
            rest = drain();
        } catch (IOException e) {
            rest = NOTHING;
        }
        pipe.close();
        remainder = rest;
        source = rest.length == 0 ? NullStreams.INPUT : new ByteArrayInputStream(rest);
    }

    private byte[] drain() throws IOException {
        if (pipe.available() <= 0) {
            return NOTHING;   // most exits: the child wrote nothing, or its reader took it all; no 8 KiB chunk for that
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] chunk = new byte[BUFFER_SIZE];
        for (int n; pipe.available() > 0 && (n = pipe.read(chunk, 0, chunk.length)) > 0; ) {
            rest.write(chunk, 0, n);
        }
        return rest.toByteArray();
    }

    /**
     * Hands the pipe to a {@link LoopPump}, which reads it on the event loop from now on; this
     * stream then refuses reads. {@return the pump, or {@code null} if the stream was used or
     * closed}
     */
    @Override
    public LoopPump tryHandOver() {
        if (!owner.compareAndSet(UNCLAIMED, HANDED_OVER)) {
            return owner.get() == HANDED_OVER ? pump : null;   // OutputClaims serialises hand-overs
        }
        // Only the exit hook can hold the lock now, and it never waits.
        lock.lock();
        try {
            if (source != pipe) {
                // The child has exited and the pipe was drained at exit: hand over what was left.
                pump = LoopPump.ofRemainder(remainder);
                return pump;
            }
            LoopPump reader = new LoopPump(fd, this);
            pump = reader;
            reader.start();
            if (exited) {
                reader.processExited();
            }
            return reader;
        } finally {
            unlock();
        }
    }

    /** Guarded by lock. */
    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
        if (owner.compareAndExchange(UNCLAIMED, USED) == HANDED_OVER) {
            throw new IOException("this output is read asynchronously (ProcessOutput)");
        }
    }
}
