package dev.forkwise.spawn;

import java.util.Optional;

/**
 * Whether forkwise's JFR events may be created: the one check every package of the module makes
 * before it names an event class, and the only code that names a {@code jdk.jfr} class before then.
 *
 * <p>JFR is optional: the module is {@code requires static jdk.jfr}, and a JVM without
 * {@code jdk.jfr} (a {@code java.base} image, {@code --limit-modules java.base}) loses only the
 * events. It is also lazy: no class of {@code jdk.jfr} beyond {@code FlightRecorder} is loaded
 * until JFR's recorder has been started in this JVM (by {@code -XX:StartFlightRecording},
 * {@code jcmd JFR.start} or a {@code Recording}), because loading the first event class pulls in
 * JFR's whole event machinery, about a hundred classes, for a recording nobody makes. Once the
 * recorder has started, events are created and cost little while no recording enables them.
 *
 * <p>The pattern, wherever an event is recorded: a JFR-free interface or class (such as
 * {@link SpawnRecord}) asks {@link #started()} and only then calls into the event class; code
 * that runs before the check never holds an event in a variable of the event's class type, so
 * that the verifier has no reason to load it. Thread-safe.
 */
public final class Recorder {

    /** Whether {@code jdk.jfr} is in the boot layer and this module reads it. */
    private static final boolean PRESENT = present();

    /** Set once the recorder is seen started; it never stops being so. */
    private static volatile boolean started;

    private Recorder() {
    }

    /**
     * {@return whether JFR is present and its recorder has been started in this JVM} Once true, it
     * stays true. Cheap: a volatile read once it is true, a call to
     * {@code FlightRecorder.isInitialized()} until then; never loads an event class.
     */
    public static boolean started() {
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
