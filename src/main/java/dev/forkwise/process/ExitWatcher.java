package dev.forkwise.process;

/** Detects that a child has exited and has {@link SpawnedProcess#reap()} called for it, exactly once. */
interface ExitWatcher {

    /** Starts watching {@code process}, which has not exited yet or is a zombie. */
    void watch(SpawnedProcess process);

    /** {@return how exits are detected, for {@code Spawner.mechanism()}} */
    String description();
}
