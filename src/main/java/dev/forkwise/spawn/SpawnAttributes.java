package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The {@code posix_spawnattr_t} of one child: its signal mask, signal dispositions and process group. */
final class SpawnAttributes implements AutoCloseable {

    private final MemorySegment attributes;

    private SpawnAttributes(Arena arena) {
        attributes = Libc.allocatePosixSpawnattr(arena);
        check(forkwise_h.posix_spawnattr_init(attributes));
    }

    /**
     * {@return attributes that start the child with the signal state of a {@code ProcessBuilder}
     * child} (see {@link SignalDispositions}), in the process group {@code group} asks for.
     */
    static SpawnAttributes forChild(Arena arena, ProcessGroupMode group) {
        SpawnAttributes spawnAttributes = new SpawnAttributes(arena);
        MemorySegment attributes = spawnAttributes.attributes;
        check(forkwise_h.posix_spawnattr_setsigmask(attributes, SignalDispositions.EMPTY_MASK));
        check(forkwise_h.posix_spawnattr_setsigdefault(attributes, SignalDispositions.RESET_TO_DEFAULT));
        int flags = forkwise_h.POSIX_SPAWN_SETSIGMASK() | forkwise_h.POSIX_SPAWN_SETSIGDEF();
        switch (group) {
            case INHERIT -> { }
            case NEW_GROUP -> {
                check(forkwise_h.posix_spawnattr_setpgroup(attributes, 0));   // 0: the child's own pid
                flags |= forkwise_h.POSIX_SPAWN_SETPGROUP();
            }
            case NEW_SESSION -> flags |= forkwise_h.POSIX_SPAWN_SETSID();
        }
        check(forkwise_h.posix_spawnattr_setflags(attributes, (short) flags));
        return spawnAttributes;
    }

    /** {@return the {@code posix_spawnattr_t *} to pass to {@code posix_spawn}} */
    MemorySegment segment() {
        return attributes;
    }

    @Override
    public void close() {
        forkwise_h.posix_spawnattr_destroy(attributes);
    }

    private static void check(int error) {
        if (error != 0) {
            throw new IllegalStateException("posix_spawnattr: " + forkwise_h.strerror(error).getString(0));
        }
    }
}
