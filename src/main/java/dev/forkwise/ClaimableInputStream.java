package dev.forkwise;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A {@code ProcessBuilder} process's output stream as {@link ChildProcess} hands it out where
 * forkwise delegates: once {@link ProcessOutput} reads the output, this stream refuses reads, and an
 * output already read through this stream cannot be claimed, as with forkwise's own streams.
 */
final class ClaimableInputStream extends FilterInputStream {

    private boolean used;
    private boolean claimed;

    ClaimableInputStream(InputStream in) {
        super(in);
    }

    /** Claims the output for {@link ProcessOutput}. @throws IllegalStateException if it was read here already */
    synchronized void claim() {
        if (!tryClaim()) {
            throw new IllegalStateException("this output was already read or closed through its InputStream");
        }
    }

    /** {@return whether the output could be claimed}: it was not read here, or was claimed already. */
    synchronized boolean tryClaim() {
        if (claimed) {
            return true;
        }
        if (used) {
            return false;
        }
        claimed = true;
        return true;
    }

    /** {@return the JDK's stream, for the pump that reads it instead} */
    InputStream source() {
        return in;
    }

    private synchronized void use() throws IOException {
        if (claimed) {
            throw new IOException("this output is read asynchronously (ProcessOutput)");
        }
        used = true;
    }

    @Override
    public int read() throws IOException {
        use();
        return super.read();
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        use();
        return super.read(bytes, offset, length);
    }

    @Override
    public long skip(long n) throws IOException {
        use();
        return super.skip(n);
    }

    @Override
    public int available() throws IOException {
        use();
        return super.available();
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            used = true;
        }
        super.close();
    }
}
