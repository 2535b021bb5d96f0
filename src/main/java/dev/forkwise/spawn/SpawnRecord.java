package dev.forkwise.spawn;

import java.util.Optional;

/**
 * What a start reports about itself to JFR, through a {@link SpawnEvent} or through nothing.
 *
 * <p>JFR is optional: the module is {@code requires static jdk.jfr}, and a JVM without
 * {@code jdk.jfr} (a {@code java.base} image, {@code --limit-modules java.base}) loses only the
 * events. It is also lazy: no class of {@code jdk.jfr} beyond {@code FlightRecorder} is loaded
 * until JFR's recorder has been started in this JVM (by {@code -XX:StartFlightRecording},
 * {@code jcmd JFR.start} or a {@code Recording}), because loading the first event class pulls in
 * JFR's whole event machinery, about a hundred classes, for a recording nobody makes. Once the
 * recorder has started, every later start records a {@code SpawnEvent}, which costs nothing
 * while no recording enables it.
 */
interface SpawnRecord {

    /** Counts a spawn repeated because the executable was busy. */
    void countBusyRetry();

    /** Records a successful start; {@return {@code child}} */
    SpawnedChild started(SpawnedChild child);

    /** Records a failed start. */
    void failed(Exception failure);

    /** {@return a record of the start of {@code request}, begun now} */
    static SpawnRecord beginFor(SpawnRequest request) {
        return Recorder.started() ? SpawnEvent.beginFor(request) : Nothing.INSTANCE;
    }

    /** The record of a start while JFR is absent or its recorder was never started. */
    enum Nothing implements SpawnRecord {
        INSTANCE;

        @Override
        public void countBusyRetry() {
        }

        @Override
        public SpawnedChild started(SpawnedChild child) {
            return child;
        }

        @Override
        public void failed(Exception failure) {
        }
    }

    /** Whether JFR can be used, and has been: the only code that names a {@code jdk.jfr} class before that. */
    final class Recorder {

        /** Whether {@code jdk.jfr} is in the boot layer and this module reads it. */
        private static final boolean PRESENT = present();

        /** Set once the recorder is seen started; it never stops being so. */
        private static volatile boolean started;

        private Recorder() {
        }

        static boolean started() {
            if (started) {
                return true;
            }
            if (!PRESENT || !jdk.jfr.FlightRecorder.isInitialized()) {
                return false;
            }
            started = true;
            return true;
        }

        private static boolean present() {
            Optional<Module> jfr = ModuleLayer.boot().findModule("jdk.jfr");
            return jfr.isPresent() && Recorder.class.getModule().canRead(jfr.get());
        }
    }
}
