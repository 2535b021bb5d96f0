package dev.forkwise.process;

import java.io.IOException;

/** Detects that a child has exited and calls {@link SpawnedProcess#exited()} for it, exactly once. */
interface ExitWatcher {

    /**
     * Starts watching {@code process}, which may have exited already.
     *
     * @throws IOException if the watch cannot be set up (no memory, no thread); nothing of it is
     *                     left then, and the caller undoes the child
     */
    void watch(SpawnedProcess process) throws IOException;
}
