package dev.forkwise.process;

import dev.forkwise.spawn.Descriptor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A child's standard input as {@code Process} hands it out: buffered, and, like
 * {@code ProcessBuilder}'s, closed when the child exits so that the descriptor is not held by a
 * stream the user never closes.
 */
final class ProcessOutputStream extends BufferedOutputStream {

    ProcessOutputStream(Descriptor fd) {
        super(new PipeOutputStream(fd));
    }

    /** Called once the child has exited: closes the descriptor; later writes fail as on a closed stream. */
    synchronized void processExited() {
        OutputStream pipe = this.out;
        if (pipe != NullStreams.OUTPUT) {
            try {
                pipe.close();
            } catch (IOException ignored) {
                // PipeOutputStream.close does not throw
            }
            this.out = NullStreams.OUTPUT;
        }
    }
}
