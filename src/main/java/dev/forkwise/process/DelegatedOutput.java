package dev.forkwise.process;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A {@code ProcessBuilder} process's output stream as a {@link DelegatedProcess} hands it out: the
 * JDK's stream, which follows {@link OutputClaims}' rule as forkwise's own {@link ChildOutput}
 * does. Once handed over to a {@link ThreadPump} it refuses reads; once read or closed here it
 * cannot be handed over.
 */
final class DelegatedOutput extends FilterInputStream implements OutputClaims.Claimable {

    /** Guarded by this: read or closed through this stream. */
    private boolean used;
    /** Guarded by this: the pump that reads the JDK's stream instead, once handed over. */
    private ThreadPump pump;

    DelegatedOutput(InputStream jdkStream) {
        super(jdkStream);
    }

    @Override
    public synchronized OutputPump tryHandOver() {
        if (pump == null && !used) {
            pump = new ThreadPump(in);
            pump.start();
        }
        return pump;
    }

    /** Marks the stream used; it fails if the output was handed over. Never blocks. */
    private synchronized void use() throws IOException {
        if (pump != null) {
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
