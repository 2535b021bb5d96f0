package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code posix_spawn} calls of one start: the same arguments, environment, file actions and
 * attributes, tried on one executable path after another until one starts.
 *
 * <p>Each call is registered in {@link InFlightSpawns} for exactly its duration (invariant 2 of the
 * {@linkplain dev.forkwise.spawn package essay}).
 */
final class SpawnCall implements AutoCloseable {

    private static final String SHELL = "/bin/sh";

    private final Arena arena;
    private final InFlightSpawns inFlight;
    private final List<String> command;
    private final MemorySegment argv;
    private final MemorySegment envp;
    private final FileActions fileActions;
    private final SpawnAttributes attributes;
    /** Whether the caller wants a pidfd ({@link SpawnRequest#pidfd()}), and whether {@code pidfd_spawn} creates the child with one. */
    private final boolean wantsPidfd;
    private final boolean spawnReturnsPidfd;
    /** Where {@code posix_spawn} stores the pid, or {@code pidfd_spawn} the pidfd. */
    private final MemorySegment out;
    private int childPid;
    private Descriptor childPidfd;

    private SpawnCall(Arena arena, InFlightSpawns inFlight, SpawnRequest request, MemorySegment envp,
                      FileActions fileActions, SpawnAttributes attributes) {
        this.arena = arena;
        this.inFlight = inFlight;
        this.command = request.command();
        this.argv = CStrings.vector(arena, command);
        this.envp = envp;
        this.fileActions = fileActions;
        this.attributes = attributes;
        this.wantsPidfd = request.pidfd();
        this.spawnReturnsPidfd = wantsPidfd && Pidfds.spawnReturnsPidfd();
        this.out = arena.allocate(ValueLayout.JAVA_INT);
    }

    /**
     * Prepares the calls of one start: the file actions ({@code dup2} of {@code stdio} to 0, 1 and
     * 2, {@code chdir}, {@code closefrom(3)}), the attributes and the environment.
     *
     * @param stdio the parent's descriptors the child receives as 0, 1 and 2
     */
    static SpawnCall prepare(Arena arena, InFlightSpawns inFlight, SpawnRequest request, int[] stdio) {
        MemorySegment directory = request.directory() == null ? null : CStrings.of(arena, request.directory());
        MemorySegment envp = request.environment() == null
                ? Libc.environ()
                : EnvironmentBlock.of(arena, request.environment());
        FileActions fileActions = FileActions.forChild(arena, stdio, directory);
        try {
            return new SpawnCall(arena, inFlight, request, envp, fileActions,
                    SpawnAttributes.forChild(arena, request.processGroup()));
        } catch (RuntimeException | Error e) {
            fileActions.close();
            throw e;
        }
    }

    /**
     * Executes {@code path} with the command's arguments in one {@code posix_spawn} call.
     *
     * @return 0 if a child started (see {@link #pid()}), else the error number
     */
    int spawn(String path) {
        return spawn(path, argv);
    }

    /**
     * Runs {@code /bin/sh path args...}, as {@code ProcessBuilder} does for an executable whose
     * format the kernel does not recognise ({@code ENOEXEC}: a script without {@code #!}).
     *
     * @return 0 if a child started, else the error number
     */
    int spawnWithShell(String path) {
        List<String> shellArgv = new ArrayList<>(command.size() + 1);
        shellArgv.add(SHELL);
        shellArgv.add(path);
        shellArgv.addAll(command.subList(1, command.size()));
        return spawn(SHELL, CStrings.vector(arena, shellArgv));
    }

    /** {@return the process id of the child the last successful call started} */
    int pid() {
        return childPid;
    }

    /**
     * {@return the pidfd of the child the last successful call started}, or {@code null} if the
     * request asked for none; the caller owns it.
     *
     * @throws IOException if none can be opened now (no descriptor left)
     */
    Descriptor pidfd() throws IOException {
        if (childPidfd == null && wantsPidfd) {
            childPidfd = Pidfds.open(childPid);
        }
        return childPidfd;
    }

    /**
     * {@return the calls that created the child of the last successful call}, for its JFR event:
     * {@code pidfd_spawn}, {@code posix_spawn + pidfd_open}, or {@code posix_spawn} (no pidfd: a
     * reaper thread waits for its exit)
     */
    String mechanism() {
        return spawnReturnsPidfd ? "pidfd_spawn" : childPidfd != null ? "posix_spawn + pidfd_open" : "posix_spawn";
    }

    /**
     * Undoes the last successful call, for a start that fails after it: kills the child, reaps it
     * and closes its pidfd, so that nothing of it is left.
     */
    void abandonChild() {
        Libc.kill(childPid, forkwise_h.SIGKILL());
        int result;
        do {
            result = Libc.waitpid(childPid, MemorySegment.NULL, 0);
        } while (result == -forkwise_h.EINTR());
        if (childPidfd != null) {
            childPidfd.close();
        }
    }

    private int spawn(String path, MemorySegment arguments) {
        MemorySegment cPath = CStrings.of(arena, path);
        InFlightSpawns.Ticket ticket = inFlight.enter();
        int error;
        try {
            error = spawnReturnsPidfd
                    ? forkwise_h.pidfd_spawn(out, cPath, fileActions.segment(), attributes.segment(), arguments, envp)
                    : forkwise_h.posix_spawn(out, cPath, fileActions.segment(), attributes.segment(), arguments, envp);
        } finally {
            inFlight.leave(ticket);
        }
        if (error == 0) {
            int value = out.get(ValueLayout.JAVA_INT, 0);
            if (spawnReturnsPidfd) {
                childPidfd = new Descriptor(value);
                childPid = Libc.pidfd_getpid(value);
            } else {
                childPid = value;
            }
        }
        return error;
    }

    /** Destroys the file actions and attributes. */
    @Override
    public void close() {
        attributes.close();
        fileActions.close();
    }
}
