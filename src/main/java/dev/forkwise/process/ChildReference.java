package dev.forkwise.process;

/**
 * The parent's hold on one child: how to reap it once it has exited and how to signal it while it
 * has not been reaped. Signals never reach another process that reused the child's pid: either
 * they go through a pidfd, which keeps referring to the child, or they are sent under the lock that
 * the reaping takes, while the unreaped child still owns its pid.
 */
sealed interface ChildReference permits PidfdReference, PidReference {

    /** {@return the child's pid} */
    int pid();

    /**
     * Reaps the child, which must have exited (or be about to: this may wait for it), and releases
     * what refers to it. Called once.
     *
     * @return how it ended: its exit code (0 to 255), or minus the number of the signal that
     *         killed it; {@link #exitValue} turns that into what {@code Process.exitValue()} reports
     */
    int reap();

    /** Sends {@code signal} to the child; {@return false} if it has been reaped already. */
    boolean signal(int signal);

    /**
     * {@return whether the child has exited}, reaped or not: a zombie counts. Never reaps and
     * never waits. Asked under the lock that reaps, so that a deadline does not take a child that
     * exited by itself, and whose exit the watcher has not handled yet, for one it terminates.
     */
    boolean hasExited();

    /** {@return how a child ended, as {@link #reap()} reports it}, from a wait status. */
    static int endingOfWaitStatus(int status) {
        int signal = status & 0x7f;   // no WUNTRACED: never a stopped child's status
        return signal == 0 ? (status >> 8) & 0xff : -signal;
    }

    /** {@return the exit code, or 128 + the signal number for a child killed by a signal}, as {@code Process.exitValue()} reports it */
    static int exitValue(int ending) {
        return ending < 0 ? 0x80 - ending : ending;
    }
}
