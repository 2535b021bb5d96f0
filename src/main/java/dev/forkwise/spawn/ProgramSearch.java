package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The executable paths one start tries, in order, and the error it reports when none starts, the
 * way {@code ProcessBuilder} searches on Linux.
 *
 * <ul>
 * <li>A working directory the child cannot {@code chdir} into yields no candidate: the child would
 *     report the failed {@code chdir} as a failed exec, and so does {@code ProcessBuilder}.</li>
 * <li>A name with a {@code /} is the one candidate (relative to the working directory).</li>
 * <li>A bare name, for a child with an environment of its own, is looked up in the JVM's own
 *     {@code PATH} as it was at startup (not the child's), or {@code :/bin:/usr/bin} if there was
 *     none; an empty entry means the working directory. For a child with this process's own
 *     environment it is looked up as glibc's {@code execvp} does (see {@link #of}).</li>
 * <li>After a failed exec, permission denied, no such file, not a directory and a few other errors
 *     try the next directory; any other error ends the search. Permission denied is remembered
 *     and reported if nothing else is found.</li>
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
    private static final int ENAMETOOLONG = forkwise_h.ENAMETOOLONG();
    /** The errors after which the JDK's own loop tries the next directory. */
    private static final Set<Integer> TRY_NEXT_DIRECTORY = Set.of(EACCES, ENOENT, forkwise_h.ENOTDIR(),
            forkwise_h.ELOOP(), forkwise_h.ESTALE(), forkwise_h.ENODEV(), forkwise_h.ETIMEDOUT());
    /** The errors after which glibc's {@code execvp} tries the next directory: not {@code ELOOP}. */
    private static final Set<Integer> EXECVP_TRY_NEXT = Set.of(EACCES, ENOENT, forkwise_h.ENOTDIR(),
            forkwise_h.ESTALE(), forkwise_h.ENODEV(), forkwise_h.ETIMEDOUT());
    /** glibc's {@code execvp} refuses a bare name longer than this many bytes. */
    private static final int NAME_MAX = 255;
    private static final Set<Integer> MISSING = Set.of(EACCES, ENOENT, forkwise_h.ENOTDIR(),
            forkwise_h.ELOOP(), forkwise_h.ENAMETOOLONG());

    private final Arena arena;
    private final String directory;
    private final String program;
    private final Iterator<String> directories;
    /** Whether this is glibc's {@code execvp} search rather than the JDK's own loop. */
    private final boolean execvp;
    private boolean done;
    /** An error that ended the search; it is reported as it is, whatever came before. */
    private int fatal;
    /** Permission denied, remembered: reported if the search runs out. */
    private int sticky;
    private int last = ENOENT;

    private ProgramSearch(Arena arena, String program, String directory, Iterator<String> directories,
                          boolean execvp) {
        this.arena = arena;
        this.execvp = execvp;
        this.program = program;
        this.directory = directory;
        this.directories = directories;
    }

    /**
     * {@return the search for {@code program}}
     *
     * @param directory         the child's working directory, or {@code null} for the parent's;
     *                          relative candidates are looked up there, as the child will after its
     *                          {@code chdir}
     * @param parentEnvironment whether the child gets this process's own {@code environ}: then
     *                          {@code ProcessBuilder} calls glibc's {@code execvp}, which searches
     *                          the {@code PATH} of {@code environ} now (or {@code /bin:/usr/bin},
     *                          without the working directory, if there is none) and stops at
     *                          {@code ELOOP}; otherwise the JDK's own loop over the JVM's startup
     *                          {@code PATH}
     */
    static ProgramSearch of(Arena arena, String program, String directory, boolean parentEnvironment) {
        Iterator<String> directories = program.indexOf('/') >= 0 ? null
                : parentEnvironment ? split(currentPath()).iterator() : PARENT_PATH.iterator();
        ProgramSearch search = new ProgramSearch(arena, program, directory, directories, parentEnvironment);
        int unusable = unusableDirectory(arena, directory);
        if (unusable == 0 && parentEnvironment && directories != null
                && program.getBytes(CStrings.ENCODING).length > NAME_MAX) {
            unusable = ENAMETOOLONG;
        }
        return search.unless(unusable == 0 && program.isEmpty() ? ENOENT : unusable);
    }

    /** {@return the {@code PATH} in this process's {@code environ} now, or glibc's default if there is none} */
    private static String currentPath() {
        byte[] prefix = "PATH=".getBytes(CStrings.ENCODING);
        for (byte[] entry : Libc.environEntries()) {
            if (entry.length >= prefix.length && Arrays.equals(entry, 0, prefix.length, prefix, 0, prefix.length)) {
                return new String(entry, prefix.length, entry.length - prefix.length, CStrings.ENCODING);
            }
        }
        return "/bin:/usr/bin";
    }

    /** {@return the first path to execute, or {@code null} if the search is over before it began} */
    String first() {
        return advance();
    }

    /**
     * Records that the exec of the last path given failed with {@code error}, and {@return the
     * next path to execute}, or {@code null} when the search is over: no directory is left, or
     * {@code error} ends the search (anything but "not here" errors, as the JDK's
     * {@code execvpe} loop stops).
     */
    String next(int error) {
        if (!(execvp ? EXECVP_TRY_NEXT : TRY_NEXT_DIRECTORY).contains(error)) {
            fatal = error;
            done = true;
            return null;
        }
        record(error);
        return advance();
    }

    private String advance() {
        if (done) {
            return null;
        }
        if (directories == null) {
            done = true;
            return program;
        }
        while (directories.hasNext()) {
            String dir = directories.next();
            String candidate = dir.endsWith("/") ? dir + program : dir + '/' + program;
            boolean tooLong = candidate.getBytes(CStrings.ENCODING).length + 1 >= PATH_MAX;
            int error = tooLong ? ENAMETOOLONG : missing(candidate);
            if (error == 0) {
                return candidate;
            }
            // The JDK's loop skips a name too long; execve, for execvp, fails with it, which ends
            // the search, as does ELOOP for execvp.
            if (execvp && !EXECVP_TRY_NEXT.contains(error)) {
                fatal = error;
                done = true;
                return null;
            }
            record(error);
        }
        done = true;
        return null;
    }

    /** {@return the error number {@code ProcessBuilder} would report for this search}, once it is over */
    int error() {
        return fatal != 0 ? fatal : sticky != 0 ? sticky : last;
    }

    private void record(int error) {
        if (error == EACCES) {
            sticky = error;
        }
        last = error;
    }

    /** {@return this search, or, if {@code error} is not 0, a search over before it began that reports it} */
    private ProgramSearch unless(int error) {
        if (error != 0) {
            done = true;
            last = error;
        }
        return this;
    }

    /**
     * {@return the error an exec of {@code candidate} would fail with because the file cannot be
     * reached, or 0 if it exists} (whether it can run is for the exec to say).
     */
    private int missing(String candidate) {
        String path = directory == null || candidate.startsWith("/") ? candidate : directory + '/' + candidate;
        int result = Libc.faccessat(forkwise_h.AT_FDCWD(), CStrings.of(arena, path), forkwise_h.F_OK(),
                forkwise_h.AT_EACCESS());
        return result < 0 && MISSING.contains(-result) ? -result : 0;
    }

    /** {@return the error {@code chdir(directory)} in the child would fail with, or 0} */
    private static int unusableDirectory(Arena arena, String directory) {
        if (directory == null) {
            return 0;
        }
        if (directory.isEmpty()) {
            return ENOENT;
        }
        // chdir(dir) needs dir to be a directory the child may search. Opening it as a path
        // checks the first (no read permission needed), then "." from it checks the search
        // permission; appending "/." to the name instead would fail for names near PATH_MAX.
        int fd = Libc.open(CStrings.of(arena, directory),
                forkwise_h.O_PATH() | forkwise_h.O_DIRECTORY() | forkwise_h.O_CLOEXEC(), 0);
        if (fd < 0) {
            return MISSING.contains(-fd) ? -fd : 0;
        }
        try {
            int result = Libc.faccessat(fd, CStrings.of(arena, "."), forkwise_h.X_OK(), forkwise_h.AT_EACCESS());
            return result < 0 && MISSING.contains(-result) ? -result : 0;
        } finally {
            Libc.close(fd);
        }
    }

    private static List<String> split(String path) {
        String[] dirs = path.split(":", -1);   // a one-character, non-regex-metacharacter split: no regex
        for (int i = 0; i < dirs.length; i++) {
            if (dirs[i].isEmpty()) {
                dirs[i] = ".";
            }
        }
        return List.of(dirs);
    }
}
