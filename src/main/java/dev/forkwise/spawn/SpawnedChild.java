package dev.forkwise.spawn;

/**
 * A child that {@link PosixSpawn} started, and the ends of its pipes the parent keeps.
 *
 * @param pid    the child's process id; the caller must reap it
 * @param pidfd  a pidfd for the child, or {@code null} if {@link Pidfds#supported() unsupported} or
 *               none could be had; the caller owns it
 * @param stdin  the write end of the child's standard input pipe, or {@code null} if not a pipe
 * @param stdout the read end of the child's standard output pipe, or {@code null} if not a pipe
 * @param stderr the read end of the child's standard error pipe, or {@code null} if not a pipe
 */
public record SpawnedChild(int pid, Descriptor pidfd, Descriptor stdin, Descriptor stdout, Descriptor stderr) {
}
