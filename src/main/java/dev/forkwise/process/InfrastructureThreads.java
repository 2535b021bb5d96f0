package dev.forkwise.process;

import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.ExecFailure;

import java.io.IOException;

/**
 * Starts forkwise's own threads (the watcher, the cleaner, the reapers) so that a failure is an
 * {@code IOException} the start can report and undo, not an {@code Error} that escapes it.
 */
final class InfrastructureThreads {

    private InfrastructureThreads() {
    }

    /**
     * Starts {@code thread}.
     *
     * @throws IOException if it cannot start (the thread limit, or no memory for its stack), worded
     *                     as the {@code EAGAIN} that {@code pthread_create} reports, the cause kept
     */
    static void start(Thread thread) throws IOException {
        try {
            thread.start();
        } catch (Error e) {   // OutOfMemoryError: unable to create native thread
            throw cannotStart(thread.getName(), e);
        }
    }

    /** {@return the exception for a thread named {@code name} that could not start because of {@code error}} */
    static IOException cannotStart(String name, Throwable error) {
        IOException failure = ExecFailure.setup("cannot start thread " + name, forkwise_h.EAGAIN());
        failure.initCause(error);
        return failure;
    }
}
