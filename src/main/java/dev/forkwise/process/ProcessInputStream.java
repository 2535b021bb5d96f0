package dev.forkwise.process;

import dev.forkwise.spawn.Descriptor;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A child's standard output or error as {@code Process} hands it out: buffered, and, like
 * {@code ProcessBuilder}'s, able to give its descriptor back when the child exits while keeping
 * the bytes still in the pipe for the reader.
 */
final class ProcessInputStream extends BufferedInputStream {

    private final Object closeLock = new Object();

    ProcessInputStream(Descriptor fd) {
        super(new PipeInputStream(fd));
    }

    /**
     * Called once the child has exited: moves what is left in the pipe into memory and closes the
     * descriptor, so a stream the user never closes does not hold it. Reads then return the rest
     * of the data, then end of file.
     */
    synchronized void processExited() {
        synchronized (closeLock) {
            InputStream pipe = this.in;
            if (pipe == null) {
                return;   // closed by the user
            }
            try {
                byte[] rest = drain(pipe);
                this.in = rest.length == 0 ? NullStreams.INPUT : new ByteArrayInputStream(rest);
            } catch (IOException ignored) {
                this.in = NullStreams.INPUT;
            } finally {
                try {
                    pipe.close();
                } catch (IOException ignored) {
                    // PipeInputStream.close does not throw
                }
            }
        }
    }

    private static byte[] drain(InputStream pipe) throws IOException {
        byte[] rest = new byte[0];
        int available;
        while ((available = pipe.available()) > 0) {
            int size = rest.length;
            rest = Arrays.copyOf(rest, size + available);
            int n = pipe.read(rest, size, available);
            if (n < 0) {
                return Arrays.copyOf(rest, size);
            }
            rest = Arrays.copyOf(rest, size + n);
        }
        return rest;
    }

    @Override
    public void close() throws IOException {
        // BufferedInputStream.close is not synchronized; keep it from racing processExited.
        synchronized (closeLock) {
            super.close();
        }
    }
}
