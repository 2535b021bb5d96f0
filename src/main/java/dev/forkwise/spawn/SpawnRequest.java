package dev.forkwise.spawn;

import java.util.List;
import java.util.Objects;

/**
 * What to start: everything {@code ProcessBuilder} would pass to its native launcher, and how the
 * caller will hold the child.
 *
 * @param command             the program and its arguments; not empty, no NUL characters
 * @param environment         the child's environment as {@code name=value} entries, or
 *                            {@code null} for the parent's own {@code environ}
 * @param directory           the working directory, or {@code null} for the parent's
 * @param stdin               the source of descriptor 0
 * @param stdout              the source of descriptor 1
 * @param stderr              the source of descriptor 2; when {@code redirectErrorStream}, a file here
 *                            is still opened (created or truncated), as {@code ProcessBuilder} does,
 *                            but not given to the child
 * @param redirectErrorStream whether descriptor 2 is a copy of descriptor 1
 * @param processGroup        the process group or session the child joins or leads
 * @param pidfd               whether the caller wants a pidfd for the child; only where
 *                            {@link Pidfds#supported()}
 */
public record SpawnRequest(List<String> command, List<String> environment, String directory,
                           ChildStdio stdin, ChildStdio stdout, ChildStdio stderr,
                           boolean redirectErrorStream, ProcessGroupMode processGroup, boolean pidfd) {

    /** Copies the command and environment, so later changes to the caller's collections do not leak in. */
    public SpawnRequest {
        command = List.copyOf(command);
        environment = environment == null ? null : List.copyOf(environment);
        Objects.requireNonNull(processGroup, "processGroup");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }
}
