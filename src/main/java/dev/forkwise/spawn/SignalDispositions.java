package dev.forkwise.spawn;

import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.bindings.sigset_t;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The signal state a child starts with, the same as a {@code ProcessBuilder} child's: no signal
 * blocked; every signal the JVM catches at its default action; every signal the JVM ignores at
 * the moment of the start ignored (as {@code nohup} expects, even when the application ignored it
 * after an earlier start).
 *
 * <p>Only the mask is set ({@code POSIX_SPAWN_SETSIGMASK}). The dispositions need no attribute:
 * glibc's {@code posix_spawn} child, which runs on the parent's memory until it executes, resets
 * every signal that has a handler to its default action and leaves ignored and default ones as
 * they are, reading them at the moment of the spawn; {@code execve} would do the same. That is
 * what {@code ProcessBuilder}'s child sees. A reset set computed in advance
 * ({@code POSIX_SPAWN_SETSIGDEF}) would instead undo a later {@code SIG_IGN}.
 */
final class SignalDispositions {

    private static final Arena SETS = Arena.ofAuto();

    /** The child's signal mask: empty; read-only once initialised, so all spawns share it. */
    static final MemorySegment EMPTY_MASK = emptySet();

    private SignalDispositions() {
    }

    private static MemorySegment emptySet() {
        MemorySegment set = sigset_t.allocate(SETS);
        forkwise_h.sigemptyset(set);
        return set;
    }
}
