package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The file actions the child runs between {@code clone} and {@code execve}: the three standard
 * descriptors, the working directory, then {@code closefrom(3)}.
 *
 * <p>{@code closefrom} comes last and is always added: it upholds invariant 1 of the
 * {@linkplain dev.forkwise.spawn package essay} (a returned spawn holds no descriptor of the parent
 * but 0, 1 and 2). The descriptors the other actions use are {@code O_CLOEXEC} copies that the
 * {@code dup2} actions have already copied to 0, 1 and 2.
 */
final class FileActions implements AutoCloseable {

    private final MemorySegment actions;

    private FileActions(Arena arena) {
        actions = Libc.allocatePosixSpawnFileActions(arena);
        check(forkwise_h.posix_spawn_file_actions_init(actions));
    }

    /**
     * Builds the actions for one child.
     *
     * @param arena     owns the actions' memory; must outlive the spawn
     * @param stdio     the parent's descriptors to copy to the child's 0, 1 and 2, in that order;
     *                  each is {@code >= 3} or equal to its target
     * @param directory the working directory as a C string, or {@code null} to keep the parent's
     */
    static FileActions forChild(Arena arena, int[] stdio, MemorySegment directory) {
        FileActions fileActions = new FileActions(arena);
        try {
            for (int target = 0; target < 3; target++) {
                check(forkwise_h.posix_spawn_file_actions_adddup2(fileActions.actions, stdio[target], target));
            }
            if (directory != null) {
                check(forkwise_h.posix_spawn_file_actions_addchdir_np(fileActions.actions, directory));
            }
            check(forkwise_h.posix_spawn_file_actions_addclosefrom_np(fileActions.actions, 3));
            return fileActions;
        } catch (RuntimeException | Error e) {
            fileActions.close();
            throw e;
        }
    }

    /** {@return the {@code posix_spawn_file_actions_t *} to pass to {@code posix_spawn}} */
    MemorySegment segment() {
        return actions;
    }

    @Override
    public void close() {
        forkwise_h.posix_spawn_file_actions_destroy(actions);
    }

    private static void check(int error) {
        if (error != 0) {
            // Only ENOMEM (glibc's action list) or EBADF (a negative descriptor, a bug here) are possible.
            throw new IllegalStateException("posix_spawn_file_actions: " + forkwise_h.strerror(error).getString(0));
        }
    }
}
