package dev.forkwise.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The streams of a child whose standard descriptor is not a pipe, with the behaviour of
 * {@code ProcessBuilder}'s: reading gives end of file at once, writing fails as on a closed stream.
 */
final class NullStreams {

    static final InputStream INPUT = new InputStream() {
        @Override
        public int read() {
            return -1;
        }

        @Override
        public int available() {
            return 0;
        }
    };

    static final OutputStream OUTPUT = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("Stream closed");
        }
    };

    private NullStreams() {
    }
}
