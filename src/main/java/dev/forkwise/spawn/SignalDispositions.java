package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The signal state a child starts with, the same as a {@code ProcessBuilder} child's: no signal
 * blocked; every signal the JVM catches at its default action; {@code SIGPIPE} at its default
 * action even when the JVM ignores it (the JDK resets it, JDK-8364611, so that a child writing to
 * a closed pipe ends as it would from a shell); every other signal the JVM ignores at the moment
 * of the start ignored (as {@code nohup} expects, even when the application ignored it after an
 * earlier start).
 *
 * <p>The mask is set with {@code POSIX_SPAWN_SETSIGMASK}, and {@code SIGPIPE} alone is reset with
 * {@code POSIX_SPAWN_SETSIGDEF}. The other dispositions need no attribute: glibc's
 * {@code posix_spawn} child, which runs on the parent's memory until it executes, resets every
 * signal that has a handler to its default action and leaves ignored and default ones as they
 * are, reading them at the moment of the spawn; {@code execve} would do the same. A larger reset
 * set computed in advance would instead undo a later {@code SIG_IGN}.
 */
final class SignalDispositions {

    private static final Arena SETS = Arena.ofAuto();

    /** The child's signal mask: empty; read-only once initialised, so all spawns share it. */
    static final MemorySegment EMPTY_MASK = emptySet();

    /** The signals reset to their default action whatever the JVM does with them: {@code SIGPIPE}. */
    static final MemorySegment RESET_TO_DEFAULT = sigpipeOnly();

    private SignalDispositions() {
    }

    private static MemorySegment emptySet() {
        MemorySegment set = Libc.allocateSigset(SETS);
        forkwise_h.sigemptyset(set);
        return set;
    }

    private static MemorySegment sigpipeOnly() {
        MemorySegment set = emptySet();
        forkwise_h.sigaddset(set, forkwise_h.SIGPIPE());
        return set;
    }
}
