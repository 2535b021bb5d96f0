package dev.forkwise.process;

/** Detects that a child has exited and calls {@link SpawnedProcess#exited()} for it, exactly once. */
interface ExitWatcher {

    /** Starts watching {@code process}, which may have exited already. */
    void watch(SpawnedProcess process);
}
