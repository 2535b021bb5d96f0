package dev.forkwise.spawn;

import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.bindings.sigaction;
import dev.forkwise.bindings.sigset_t;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The signal state a child starts with, the same as a {@code ProcessBuilder} child's: no signal
 * blocked; every signal the JVM catches, and {@code SIGPIPE}, at its default action; a signal the
 * JVM itself was started with ignored stays ignored (as {@code nohup} expects).
 *
 * <p>The sets are computed once, when this class initialises, and are read-only afterwards, so all
 * spawns share them. glibc's child also resets any handler installed later, because the child runs
 * on the parent's memory until it executes.
 */
final class SignalDispositions {

    private static final Arena SETS = Arena.ofAuto();

    /** The child's signal mask: empty. */
    static final MemorySegment EMPTY_MASK = emptySet();

    /** The signals the child resets to their default action. */
    static final MemorySegment RESET_TO_DEFAULT = caughtSignalsAndSigpipe();

    private SignalDispositions() {
    }

    private static MemorySegment emptySet() {
        MemorySegment set = sigset_t.allocate(SETS);
        forkwise_h.sigemptyset(set);
        return set;
    }

    private static MemorySegment caughtSignalsAndSigpipe() {
        MemorySegment set = emptySet();
        MemorySegment current = sigaction.allocate(SETS);
        for (int signal = 1; signal < forkwise_h._NSIG(); signal++) {
            if (signal == forkwise_h.SIGKILL() || signal == forkwise_h.SIGSTOP()) {
                continue;
            }
            // glibc reserves two real-time signals for itself and rejects them here.
            if (forkwise_h.sigaction(signal, MemorySegment.NULL, current) != 0) {
                continue;
            }
            long handler = sigaction.__sigaction_handler.sa_handler(sigaction.__sigaction_handler(current)).address();
            boolean caught = handler != forkwise_h.SIG_DFL().address() && handler != forkwise_h.SIG_IGN().address();
            if (caught || signal == forkwise_h.SIGPIPE()) {
                forkwise_h.sigaddset(set, signal);
            }
        }
        return set;
    }
}
