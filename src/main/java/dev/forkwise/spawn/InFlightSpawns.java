package dev.forkwise.spawn;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The spawns between registration and the return of their {@code posix_spawn} call (invariant 2 of
 * the {@linkplain dev.forkwise.spawn package essay}), and the grace period that waits them out.
 *
 * <p>Entering and leaving touch one concurrent set and never block: concurrent spawns do not wait
 * for each other. Only {@link #awaitGracePeriod()}, called after an {@code ETXTBSY}, waits, and it
 * waits only for the spawns that were in flight when it was called, like RCU's
 * {@code synchronize}: spawns that start later cannot hold a file whose writer had already closed
 * it, so they are not waited for.
 */
final class InFlightSpawns {

    /** One registered spawn; {@link #leave} opens its latch. */
    static final class Ticket {
        private final CountDownLatch left = new CountDownLatch(1);
    }

    private final Set<Ticket> inFlight = ConcurrentHashMap.newKeySet();

    /** Registers a spawn that is about to call {@code posix_spawn}. */
    Ticket enter() {
        Ticket ticket = new Ticket();
        inFlight.add(ticket);
        return ticket;
    }

    /** Deregisters a spawn whose {@code posix_spawn} call has returned. */
    void leave(Ticket ticket) {
        inFlight.remove(ticket);
        ticket.left.countDown();
    }

    /**
     * Waits until every spawn registered at the moment of the call has left. Not interruptible:
     * each spawn it waits for is a {@code posix_spawn} call that returns once its child has
     * executed; an interrupt is kept for the caller.
     *
     * @return how many spawns it found registered, and so waited for (some may have left already)
     */
    int awaitGracePeriod() {
        boolean interrupted = false;
        int awaited = 0;
        // The concurrent set's iterator sees every element present for the whole iteration, so
        // every spawn in flight now and still in flight is waited for; one that leaves meanwhile
        // needs no wait, and one that enters meanwhile may be waited for too, harmlessly.
        for (Ticket ticket : inFlight) {
            awaited++;
            while (true) {
                try {
                    ticket.left.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return awaited;
    }
}
