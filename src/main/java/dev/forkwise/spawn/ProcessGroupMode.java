package dev.forkwise.spawn;

/** Whether a child stays in its parent's process group, leads a new one, or leads a new session. */
public enum ProcessGroupMode {
    /** The child joins the parent's process group, as a {@code ProcessBuilder} child does. */
    INHERIT,
    /** The child leads a new process group whose id is its pid ({@code POSIX_SPAWN_SETPGROUP}, group 0). */
    NEW_PROCESS_GROUP,
    /** The child leads a new session and process group, without a controlling terminal ({@code POSIX_SPAWN_SETSID}). */
    NEW_SESSION
}
