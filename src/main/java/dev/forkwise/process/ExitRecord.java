package dev.forkwise.process;

import dev.forkwise.spawn.Recorder;

/**
 * What a spawned child's exit reports to JFR: a {@link ProcessExit} begun when the child was
 * started, so that its duration is the child's life; or, while JFR is absent or its recorder was
 * never started ({@link Recorder}), nothing until the exit, which then records an instant
 * {@code ProcessExit} if the recorder has started meanwhile.
 */
interface ExitRecord {

    /**
     * Records the exit of the child {@code pid}.
     *
     * @param ending how it ended, as {@link ChildReference#reap()} reports it
     */
    void exited(int pid, int ending);

    /** {@return the exit record of a child started just now} */
    static ExitRecord begin() {
        return Recorder.started() ? ProcessExit.begun() : Unbegun.INSTANCE;
    }

    /** The record of a child started while JFR was absent or its recorder never started. */
    enum Unbegun implements ExitRecord {
        INSTANCE;

        @Override
        public void exited(int pid, int ending) {
            if (Recorder.started()) {
                ProcessExit.instant().exited(pid, ending);
            }
        }
    }
}
