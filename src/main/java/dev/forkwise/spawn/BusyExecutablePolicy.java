package dev.forkwise.spawn;

import dev.forkwise.bindings.forkwise_h;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * What a start does when the kernel says the executable is busy ({@code ETXTBSY}): invariant 3 of
 * the {@linkplain dev.forkwise.spawn package essay}.
 *
 * <ol>
 * <li>Wait for the grace period of {@link InFlightSpawns}, then retry once. A child of this library
 *     that held the file has by then dropped it, so in a program whose only spawner is forkwise,
 *     this retry succeeds.</li>
 * <li>If the file is still busy, its writer is outside the library. Retry after 1, 2, 4 ... 512 ms
 *     (about one second in all), then fail with an {@code IOException} that names the file.</li>
 * </ol>
 */
final class BusyExecutablePolicy {

    private static final int ETXTBSY = forkwise_h.ETXTBSY();
    private static final long LONGEST_BACKOFF_MILLIS = 512;

    /**
     * Test switch: when set, {@code ETXTBSY} fails at once, with no grace period and no retry.
     * {@code EtxtbsyRaceTest} sets it for its control run, to show that the race it guards against
     * is real on this machine. Not an option for users: it only reintroduces the bug.
     */
    static volatile boolean disabledForTest;

    private final InFlightSpawns inFlight;

    BusyExecutablePolicy(InFlightSpawns inFlight) {
        this.inFlight = inFlight;
    }

    /**
     * Retries the exec of {@code path}, which just failed with {@code ETXTBSY}.
     *
     * @param exec   executes a path once, returning 0 or the error number
     * @param record records each retry: its wait, the spawns it waited for, and what it found
     * @return 0 if a retry started a child, else the error number of the last one, never
     *         {@code ETXTBSY}
     * @throws IOException if the file stayed busy through every retry
     */
    int retry(String path, ToIntFunction<String> exec, SpawnRecord record) throws IOException {
        if (disabledForTest) {
            return ETXTBSY;
        }
        long start = System.nanoTime();
        SpawnRecord.Retry retry = record.retrying(path, 1, true);
        retry.waited(inFlight.awaitGracePeriod());
        int error = exec.applyAsInt(path);
        retry.retried(error == ETXTBSY);
        int attempts = 2;
        for (long backoff = 1; error == ETXTBSY && backoff <= LONGEST_BACKOFF_MILLIS; backoff *= 2) {
            retry = record.retrying(path, attempts, false);
            if (!sleep(backoff)) {
                break;   // not retried: its record is dropped uncommitted
            }
            retry.waited(0);
            error = exec.applyAsInt(path);
            retry.retried(error == ETXTBSY);
            attempts++;
        }
        if (error == ETXTBSY) {
            throw ExecFailure.busy(path, attempts, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        return error;
    }

    /** Sleeps; {@return false} if interrupted, with the interrupt kept for the caller. */
    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
