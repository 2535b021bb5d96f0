package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

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
final class SpawnCall {

    private static final String SHELL = "/bin/sh";

    private final Arena arena;
    private final InFlightSpawns inFlight;
    private final List<String> command;
    private final MemorySegment argv;
    private final MemorySegment envp;
    private final MemorySegment fileActions;
    private final MemorySegment attributes;
    /** Where {@code posix_spawn} stores the pid, or {@code pidfd_spawn} the pidfd. */
    private final MemorySegment out;
    private int childPid;
    private Descriptor childPidfd;
    private int busyRetries;

    SpawnCall(Arena arena, InFlightSpawns inFlight, List<String> command, MemorySegment envp,
              FileActions fileActions, SpawnAttributes attributes) {
        this.arena = arena;
        this.inFlight = inFlight;
        this.command = command;
        this.argv = CStrings.vector(arena, command);
        this.envp = envp;
        this.fileActions = fileActions.segment();
        this.attributes = attributes.segment();
        this.out = arena.allocate(ValueLayout.JAVA_INT);
    }

    /**
     * Executes {@code path}, and if the kernel does not recognise its format ({@code ENOEXEC}),
     * runs it with {@code /bin/sh} as {@code ProcessBuilder} does: {@code /bin/sh path args...}.
     *
     * @return 0 if a child started (see {@link #pid()}), else the error number
     */
    int spawnWithShellFallback(String path) {
        int error = spawn(path, argv);
        if (error == forkwise_h.ENOEXEC()) {
            List<String> shellArgv = new ArrayList<>(command.size() + 1);
            shellArgv.add(SHELL);
            shellArgv.add(path);
            shellArgv.addAll(command.subList(1, command.size()));
            error = spawn(SHELL, CStrings.vector(arena, shellArgv));
        }
        return error;
    }

    /** Counts a spawn repeated because the executable was busy. */
    void countBusyRetry() {
        busyRetries++;
    }

    /** {@return how many spawns were repeated because the executable was busy} */
    int busyRetries() {
        return busyRetries;
    }

    /** {@return the process id of the child the last successful call started} */
    int pid() {
        return childPid;
    }

    /**
     * {@return the pidfd of the child the last successful call started}, or {@code null} where
     * pidfds are unsupported or none could be opened; the caller owns it.
     */
    Descriptor pidfd() {
        if (childPidfd == null && Pidfds.supported()) {
            childPidfd = Pidfds.open(childPid);
        }
        return childPidfd;
    }

    private int spawn(String path, MemorySegment arguments) {
        MemorySegment cPath = CStrings.of(arena, path);
        InFlightSpawns.Ticket ticket = inFlight.enter();
        int error;
        try {
            error = Pidfds.spawnReturnsPidfd()
                    ? forkwise_h.pidfd_spawn(out, cPath, fileActions, attributes, arguments, envp)
                    : forkwise_h.posix_spawn(out, cPath, fileActions, attributes, arguments, envp);
        } finally {
            inFlight.leave(ticket);
        }
        if (error == 0) {
            int value = out.get(ValueLayout.JAVA_INT, 0);
            if (Pidfds.spawnReturnsPidfd()) {
                childPidfd = new Descriptor(value);
                childPid = Libc.pidfd_getpid(value);
            } else {
                childPid = value;
            }
        }
        return error;
    }
}
