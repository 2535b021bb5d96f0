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
     * @return the exit value as {@code Process.exitValue()} reports it
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


    /** {@return the exit code, or 128 + the signal number for a child killed by a signal}, from a wait status. */
    static int exitValueOfWaitStatus(int status) {
        int signal = status & 0x7f;
        if (signal == 0) {
            return (status >> 8) & 0xff;
        }
        return signal != 0x7f ? 0x80 + signal : status;
    }
}
