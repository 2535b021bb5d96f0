package dev.forkwise;

import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Spawner} starts and watches processes in this JVM, and, when it cannot use its own
 * mechanism, why.
 *
 * <p>Obtained from {@link Spawner#mechanism()}; the choice is made once per JVM. Instances are
 * immutable.
 */
public final class Mechanism {

    /** The way children are created. */
    public enum Launch {
        /**
         * glibc {@code posix_spawn} through {@code java.lang.foreign}, with a {@code closefrom}
         * file action and the {@code ETXTBSY} grace-period protocol: race-free.
         */
        POSIX_SPAWN,
        /**
         * {@link ProcessBuilder#start()}: forkwise delegates, because its own mechanism is not
         * available here (see {@link Mechanism#fallbackReason()}).
         */
        PROCESS_BUILDER
    }

    private final Launch launch;
    private final String launchDetail;
    private final String exitWatching;
    private final String fallbackReason;

    Mechanism(Launch launch, String launchDetail, String exitWatching, String fallbackReason) {
        this.launch = Objects.requireNonNull(launch);
        this.launchDetail = Objects.requireNonNull(launchDetail);
        this.exitWatching = Objects.requireNonNull(exitWatching);
        this.fallbackReason = fallbackReason;
    }

    /** {@return the way children are created} */
    public Launch launch() {
        return launch;
    }

    /** {@return how exits are detected, in words} */
    public String exitWatching() {
        return exitWatching;
    }

    /**
     * {@return why forkwise delegates to {@code ProcessBuilder}, or empty if it does not}: for
     * example that native access is not enabled, with the flag that enables it.
     */
    public Optional<String> fallbackReason() {
        return Optional.ofNullable(fallbackReason);
    }

    /** {@return a one-line description, such as {@code posix_spawn + pidfd_open (glibc 2.36) with closefrom(3) ...}} */
    @Override
    public String toString() {
        return launchDetail + "; exits: " + exitWatching
                + (fallbackReason == null ? "" : "; fallback because " + fallbackReason);
    }
}
