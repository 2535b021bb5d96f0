package dev.forkwise.process;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The rule by which a child's two outputs pass from their {@code InputStream}s to
 * {@link OutputPump}s, the same for both kinds of child:
 *
 * <ol>
 * <li>The output asked for must not have been read or closed through its stream; otherwise the
 *     claim fails with {@link IllegalStateException}, and nothing is handed over.</li>
 * <li>The first claim hands over the other output too, if its stream is unused, so that the
 *     child can never block on the output nobody reads; a stream already in use stays with its
 *     reader.</li>
 * <li>A stream handed over refuses reads from then on.</li>
 * </ol>
 */
final class OutputClaims {

    /** An output stream that can hand its pipe over to a pump. */
    interface Claimable {
        /**
         * {@return the pump that reads this output from now on, the same on every call, or
         * {@code null} if the stream was read or closed} Never waits for a reader of the stream.
         */
        OutputPump tryHandOver();
    }

    private final Claimable stdout;
    private final Claimable stderr;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock: whether the first claim has been made. */
    private boolean claimed;

    /**
     * @param stdout the standard output's stream, or {@code null} if it is not a pipe
     * @param stderr the standard error's stream, or {@code null} if it is not a pipe
     */
    OutputClaims(Claimable stdout, Claimable stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Claims standard output ({@code error} false) or standard error for a pump.
     *
     * @return its pump; {@link OutputPump#EMPTY} if it is not a pipe
     * @throws IllegalStateException if it was already read or closed through its stream
     */
    OutputPump claim(boolean error) {
        Claimable requested = error ? stderr : stdout;
        Claimable other = error ? stdout : stderr;
        lock.lock();   // serialises claims; a hand-over never waits for a reader of either stream
        try {
            OutputPump pump = requested == null ? OutputPump.EMPTY : requested.tryHandOver();
            if (pump == null) {
                throw new IllegalStateException("this output was already read or closed through its InputStream");
            }
            if (!claimed && other != null) {
                other.tryHandOver();
            }
            claimed = true;
            return pump;
        } finally {
            lock.unlock();
        }
    }
}
