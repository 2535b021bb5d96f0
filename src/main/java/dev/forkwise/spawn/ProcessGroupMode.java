package dev.forkwise.spawn;

/**
 * Whether a child stays in its parent's process group, leads a new one, or leads a new session.
 * The spawn layer's own copy of the public {@code SpawnOptions.ProcessGroup}, with the same names:
 * this layer does not see the API.
 */
public enum ProcessGroupMode {
    /** The child joins the parent's process group, as a {@code ProcessBuilder} child does. */
    INHERIT,
    /** The child leads a new process group whose id is its pid ({@code POSIX_SPAWN_SETPGROUP}, group 0). */
    NEW_GROUP,
    /** The child leads a new session and process group, without a controlling terminal ({@code POSIX_SPAWN_SETSID}). */
    NEW_SESSION
}
