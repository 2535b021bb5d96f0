package dev.forkwise.spawn;

/**
 * What a start reports about itself to JFR: a {@link ProcessStart} or a
 * {@link ProcessStartFailed}, one {@link BusyExecutableRetry} per {@code ETXTBSY} retry; or
 * nothing, while JFR is absent or its recorder was never started ({@link Recorder}).
 */
interface SpawnRecord {

    /**
     * Begins the record of one {@code ETXTBSY} retry: its wait starts now. The retry counts once
     * its spawn is made ({@link Retry#retried}).
     *
     * @param path        the executable that was busy
     * @param retry       which retry of this start this is, from 1
     * @param gracePeriod whether the wait is the grace period (else the bounded backoff)
     * @return the retry's record, to be told when the wait ends and what the retry found
     */
    Retry retrying(String path, int retry, boolean gracePeriod);

    /**
     * Records a successful start.
     *
     * @param child      the child
     * @param executable the path that {@code posix_spawn} executed
     * @param mechanism  the calls that created the child, as {@link SpawnCall#mechanism()} names them
     * @return {@code child}
     */
    SpawnedChild started(SpawnedChild child, String executable, String mechanism);

    /** Records a failed start. */
    void failed(Exception failure);

    /** {@return a record of the start of {@code request}, begun now} */
    static SpawnRecord beginFor(SpawnRequest request) {
        return Recorder.started() ? ProcessStart.beginFor(request) : Nothing.INSTANCE;
    }

    /** The record of one retry, begun when its wait began. */
    interface Retry {

        /** The wait has ended, having waited for {@code spawns} spawns of this library in flight. */
        void waited(int spawns);

        /** The retry's {@code posix_spawn} has returned, {@code stillBusy} if with {@code ETXTBSY} again: count it. */
        void retried(boolean stillBusy);
    }

    /** The record of a start while JFR is absent or its recorder was never started. */
    enum Nothing implements SpawnRecord, Retry {
        INSTANCE;

        @Override
        public Retry retrying(String path, int retry, boolean gracePeriod) {
            return this;
        }

        @Override
        public SpawnedChild started(SpawnedChild child, String executable, String mechanism) {
            return child;
        }

        @Override
        public void failed(Exception failure) {
        }

        @Override
        public void waited(int spawns) {
        }

        @Override
        public void retried(boolean stillBusy) {
        }
    }
}
