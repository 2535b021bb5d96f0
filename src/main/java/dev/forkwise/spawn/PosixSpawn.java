package dev.forkwise.spawn;

import dev.forkwise.bindings.forkwise_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Starts children with {@code posix_spawn}, race-free (see the {@linkplain dev.forkwise.spawn
 * package essay}). Thread-safe: concurrent starts share no lock.
 */
public final class PosixSpawn {

    private static final InFlightSpawns IN_FLIGHT = new InFlightSpawns();
    private static final BusyExecutableRetry RETRY = new BusyExecutableRetry(IN_FLIGHT);

    private PosixSpawn() {
    }

    /**
     * Starts the child {@code request} describes. All native memory of the start lives in one
     * confined arena, released when this returns.
     *
     * @return the started child; the caller owns its pipe ends and must reap it
     * @throws java.io.FileNotFoundException if a redirect file cannot be opened
     * @throws IOException if the child cannot be started; the message has the error number and
     *                     its text, as {@code ProcessBuilder}'s native layer words it
     */
    public static SpawnedChild start(SpawnRequest request) throws IOException {
        SpawnEvent event = new SpawnEvent();
        event.begin();
        try {
            SpawnedChild child = spawn(request, event);
            if (event.shouldCommit()) {
                event.pid = child.pid();
                record(event, request);
            }
            return child;
        } catch (IOException | RuntimeException e) {
            if (event.shouldCommit()) {
                event.failure = e.getMessage();
                record(event, request);
            }
            throw e;
        }
    }

    private static void record(SpawnEvent event, SpawnRequest request) {
        event.command = String.join(" ", request.command());
        event.directory = request.directory();
        event.commit();
    }

    private static SpawnedChild spawn(SpawnRequest request, SpawnEvent event) throws IOException {
        try (Arena arena = Arena.ofConfined();
             ChildDescriptors stdio = ChildDescriptors.open(arena, request)) {
            MemorySegment directory = null;
            if (request.directory() != null) {
                int error = ProgramSearch.unusableDirectory(arena, request.directory());
                if (error != 0) {
                    throw ExecFailure.exec(error);
                }
                directory = CStrings.of(arena, request.directory());
            }
            MemorySegment envp = request.environment() == null
                    ? forkwise_h.environ()
                    : CStrings.vector(arena, request.environment());
            try (FileActions actions = FileActions.forChild(arena, stdio.childSide(), directory);
                 SpawnAttributes attributes = SpawnAttributes.forChild(arena, request.processGroup())) {
                SpawnCall call = new SpawnCall(arena, IN_FLIGHT, request.command(), envp, actions, attributes);
                int error;
                try {
                    error = ProgramSearch.spawn(arena, call, RETRY, request.command().getFirst(), request.directory());
                } finally {
                    event.busyRetries = call.busyRetries();
                }
                if (error != 0) {
                    throw ExecFailure.exec(error);
                }
                return stdio.handOver(call.pid(), call.pidfd());
            }
        }
    }
}
