package dev.forkwise;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What to start a process with beyond what a {@link ProcessBuilder} can say: a process group or
 * session of its own, and a deadline. Passed with the builder:
 *
 * {@snippet :
 * ProcessBuilder pb = new ProcessBuilder("sh", "-c", "make -j2 && make test");
 * ChildProcess build = Spawner.start(pb, SpawnOptions.defaults()
 *         .inNewProcessGroup()                                   // make and everything it starts
 *         .withTimeout(Duration.ofMinutes(10), Duration.ofSeconds(5)));
 * int status = build.waitFor();
 * if (build.timedOut()) { ... }                                  // SIGTERM, then SIGKILL 5 s later
 * }
 *
 * <p>Instances are immutable; every method returns a new one.
 */
public final class SpawnOptions {

    /** The grace period between SIGTERM and SIGKILL when a deadline passes, unless given. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(5);

    /** Where the child runs relative to its parent's process group. */
    public enum ProcessGroup {
        /** In its parent's process group, as a {@code ProcessBuilder} child. */
        INHERIT,
        /** As the leader of a new process group, whose id is the child's pid. */
        NEW_GROUP,
        /** As the leader of a new session (and process group), without a controlling terminal. */
        NEW_SESSION
    }

    private static final SpawnOptions DEFAULTS = new SpawnOptions(ProcessGroup.INHERIT, null, DEFAULT_GRACE_PERIOD);

    private final ProcessGroup processGroup;
    private final Duration timeout;
    private final Duration gracePeriod;

    private SpawnOptions(ProcessGroup processGroup, Duration timeout, Duration gracePeriod) {
        this.processGroup = processGroup;
        this.timeout = timeout;
        this.gracePeriod = gracePeriod;
    }

    /** {@return the options of a plain {@code ProcessBuilder} start}: parent's group, no deadline} */
    public static SpawnOptions defaults() {
        return DEFAULTS;
    }

    /**
     * {@return these options, with the child as the leader of a new process group} The group can
     * then be signalled as a whole with {@link ChildProcess#destroyProcessGroup()}, and a deadline
     * terminates the whole group.
     */
    public SpawnOptions inNewProcessGroup() {
        return new SpawnOptions(ProcessGroup.NEW_GROUP, timeout, gracePeriod);
    }

    /**
     * {@return these options, with the child as the leader of a new session}: a new process group
     * too, detached from the controlling terminal, so a terminal's hangup or interrupt does not
     * reach it.
     */
    public SpawnOptions inNewSession() {
        return new SpawnOptions(ProcessGroup.NEW_SESSION, timeout, gracePeriod);
    }

    /**
     * {@return these options, with a deadline}: {@code timeout} after the start, a child that is
     * still running is sent SIGTERM (its whole group, if it leads one), and SIGKILL
     * {@link #DEFAULT_GRACE_PERIOD} later if it is still there.
     *
     * @param timeout how long the child may run
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public SpawnOptions withTimeout(Duration timeout) {
        return withTimeout(timeout, gracePeriod);
    }

    /**
     * {@return these options, with a deadline and the grace period between SIGTERM and SIGKILL}
     *
     * @param timeout     how long the child may run
     * @param gracePeriod how long it has to end after SIGTERM before SIGKILL
     * @throws IllegalArgumentException if either duration is negative
     */
    public SpawnOptions withTimeout(Duration timeout, Duration gracePeriod) {
        if (timeout.isNegative() || gracePeriod.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + timeout + ", " + gracePeriod);
        }
        return new SpawnOptions(processGroup, timeout, gracePeriod);
    }

    /** {@return where the child runs relative to its parent's process group} */
    public ProcessGroup processGroup() {
        return processGroup;
    }

    /** {@return the time after which a running child is terminated, if any} */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** {@return the time between SIGTERM and SIGKILL once the deadline has passed} */
    public Duration gracePeriod() {
        return gracePeriod;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SpawnOptions that && processGroup == that.processGroup
                && Objects.equals(timeout, that.timeout) && gracePeriod.equals(that.gracePeriod);
    }

    @Override
    public int hashCode() {
        return Objects.hash(processGroup, timeout, gracePeriod);
    }

    @Override
    public String toString() {
        return "SpawnOptions[processGroup=" + processGroup + ", timeout=" + timeout + ", gracePeriod=" + gracePeriod + "]";
    }
}
