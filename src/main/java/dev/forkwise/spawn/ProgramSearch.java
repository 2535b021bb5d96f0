package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds and starts the program of a command the way {@code ProcessBuilder} does on Linux.
 *
 * <ul>
 * <li>A name with a {@code /} is executed as it is (relative to the working directory).</li>
 * <li>A bare name is looked up in the JVM's own {@code PATH} as it was at startup (not the child's),
 *     or {@code :/bin:/usr/bin} if there was none; an empty entry means the working directory.</li>
 * <li>Permission denied, no such file, not a directory and a few other errors try the next
 *     directory; permission denied is remembered and reported if nothing else is found; any other
 *     error stops the search.</li>
 * </ul>
 *
 * A candidate that does not exist is skipped after one {@code faccessat} instead of a failed
 * {@code posix_spawn}: the same error, for a fraction of the cost of creating a child.
 */
final class ProgramSearch {

    private static final List<String> PARENT_PATH =
            split(Objects.requireNonNullElse(System.getenv("PATH"), ":/bin:/usr/bin"));
    private static final int PATH_MAX = 4096;

    private static final int ENOENT = forkwise_h.ENOENT();
    private static final int EACCES = forkwise_h.EACCES();
    private static final Set<Integer> TRY_NEXT_DIRECTORY = Set.of(EACCES, ENOENT, forkwise_h.ENOTDIR(),
            forkwise_h.ELOOP(), forkwise_h.ESTALE(), forkwise_h.ENODEV(), forkwise_h.ETIMEDOUT());
    private static final Set<Integer> MISSING = Set.of(EACCES, ENOENT, forkwise_h.ENOTDIR(),
            forkwise_h.ELOOP(), forkwise_h.ENAMETOOLONG());

    private ProgramSearch() {
    }

    /**
     * Starts {@code program} through {@code call}.
     *
     * @param directory the child's working directory, or {@code null} for the parent's; relative
     *                  candidates are looked up there, as the child will after its {@code chdir}
     * @return 0 if a child started, else the error number {@code ProcessBuilder} would report
     */
    static int spawn(Arena arena, SpawnCall call, BusyExecutableRetry retry, String program, String directory)
            throws IOException {
        if (program.isEmpty()) {
            return ENOENT;
        }
        if (program.indexOf('/') >= 0) {
            return retry.spawn(call, program);
        }
        int sticky = 0;
        int last = ENOENT;
        for (String dir : PARENT_PATH) {
            String candidate = dir.endsWith("/") ? dir + program : dir + '/' + program;
            int error = candidate.getBytes(CStrings.ENCODING).length + 1 >= PATH_MAX
                    ? forkwise_h.ENAMETOOLONG()
                    : missing(arena, candidate, directory);
            if (error == 0) {
                error = retry.spawn(call, candidate);
                if (error == 0) {
                    return 0;
                }
                if (!TRY_NEXT_DIRECTORY.contains(error)) {
                    return error;
                }
            }
            if (error == EACCES) {
                sticky = error;
            }
            last = error;
        }
        return sticky != 0 ? sticky : last;
    }

    /**
     * {@return the error an exec of {@code candidate} would fail with because the file cannot be
     * reached, or 0 if it exists} (whether it can run is for the exec to say).
     */
    private static int missing(Arena arena, String candidate, String directory) {
        String path = directory == null || candidate.startsWith("/") ? candidate : directory + '/' + candidate;
        int result = Libc.faccessat(forkwise_h.AT_FDCWD(), CStrings.of(arena, path), forkwise_h.F_OK(),
                forkwise_h.AT_EACCESS());
        return result < 0 && MISSING.contains(-result) ? -result : 0;
    }

    /**
     * {@return the error {@code chdir(directory)} in the child would fail with, or 0}: the child
     * reports a failed {@code chdir} as a failed exec, and so does {@code ProcessBuilder}.
     */
    static int unusableDirectory(Arena arena, String directory) {
        if (directory.isEmpty()) {
            return ENOENT;
        }
        // Resolving "dir/." needs dir to be a searchable directory, as chdir(dir) does.
        int result = Libc.faccessat(forkwise_h.AT_FDCWD(), CStrings.of(arena, directory + "/."),
                forkwise_h.X_OK(), forkwise_h.AT_EACCESS());
        return result < 0 && MISSING.contains(-result) ? -result : 0;
    }

    private static List<String> split(String path) {
        return Arrays.stream(path.split(":", -1)).map(dir -> dir.isEmpty() ? "." : dir).toList();
    }
}
