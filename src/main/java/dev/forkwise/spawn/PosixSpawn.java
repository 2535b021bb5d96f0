package dev.forkwise.spawn;

import dev.forkwise.bindings.forkwise_h;

import java.io.IOException;
import java.lang.foreign.Arena;

/**
 * Starts children with {@code posix_spawn}, race-free (see the {@linkplain dev.forkwise.spawn
 * package essay}). Thread-safe: concurrent starts share no lock.
 */
public final class PosixSpawn {

    private static final int ENOEXEC = forkwise_h.ENOEXEC();
    private static final int ETXTBSY = forkwise_h.ETXTBSY();

    private static final InFlightSpawns IN_FLIGHT = new InFlightSpawns();
    private static final BusyExecutablePolicy BUSY = new BusyExecutablePolicy(IN_FLIGHT);

    private PosixSpawn() {
    }

    /**
     * Starts the child {@code request} describes. The whole start policy, in the order it applies:
     *
     * <ol>
     * <li>each candidate of the {@linkplain ProgramSearch PATH search}, in order;</li>
     * <li>one {@code posix_spawn} of it, inside an in-flight ticket ({@link SpawnCall});</li>
     * <li>{@code ENOEXEC}: the same path through {@code /bin/sh};</li>
     * <li>{@code ETXTBSY}: the grace period, then bounded backoff ({@link BusyExecutablePolicy});</li>
     * <li>when no candidate started, the error {@code ProcessBuilder} reports.</li>
     * </ol>
     *
     * All native memory of the start lives in one confined arena, released when this returns.
     *
     * @return the started child; the caller owns its pipe ends and its pidfd, and must reap it
     * @throws java.io.FileNotFoundException if a redirect file cannot be opened
     * @throws IOException if the child cannot be started; the message has the error number and
     *                     its text, as {@code ProcessBuilder}'s native layer words it
     */
    public static SpawnedChild start(SpawnRequest request) throws IOException {
        SpawnRecord record = SpawnRecord.beginFor(request);
        try (Arena arena = Arena.ofConfined();
             ChildDescriptors stdio = ChildDescriptors.open(arena, request);
             SpawnCall call = SpawnCall.prepare(arena, IN_FLIGHT, request, stdio.childSide())) {
            ProgramSearch search = ProgramSearch.of(arena, request.command().getFirst(), request.directory(),
                    request.environment() == null);
            String path = search.first();                                       // 1.
            while (path != null) {
                int error = attempt(call, path);                                // 2. and 3.
                if (error == ETXTBSY) {
                    error = BUSY.retry(path, busy -> attempt(call, busy), record);   // 4.
                }
                if (error == 0) {
                    return record.started(handOver(stdio, call), path, call.mechanism());
                }
                path = search.next(error);                                      // 1. unless it ends the search
            }
            throw ExecFailure.exec(search.error());                             // 5.
        } catch (IOException | RuntimeException e) {
            record.failed(e);
            throw e;
        }
    }

    /** Hands the started child over with its pidfd; if none can be had, the child is undone. */
    private static SpawnedChild handOver(ChildDescriptors stdio, SpawnCall call) throws IOException {
        Descriptor pidfd;
        try {
            pidfd = call.pidfd();
        } catch (IOException e) {
            call.abandonChild();
            throw e;
        }
        return stdio.handOver(call.pid(), pidfd);
    }

    /**
     * Executes {@code path} once: one {@code posix_spawn} inside an in-flight ticket, and, if the
     * kernel does not recognise the file's format ({@code ENOEXEC}), {@code /bin/sh path args...}
     * as {@code ProcessBuilder} does. {@return 0 if a child started, else the error number}
     */
    private static int attempt(SpawnCall call, String path) {
        int error = call.spawn(path);
        return error == ENOEXEC ? call.spawnWithShell(path) : error;
    }
}
