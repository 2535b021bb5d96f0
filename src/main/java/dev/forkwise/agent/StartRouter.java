package dev.forkwise.agent;

import dev.forkwise.process.Launcher;
import dev.forkwise.spawn.ProcessGroupMode;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a patched {@code ProcessBuilder.start()} or {@code ProcessBuilder.startPipeline(List)}
 * goes: to forkwise, once per call, on the caller's thread. Returning {@code null} tells the
 * patched method to run the JDK's own code.
 *
 * <p>The per-thread guard is what keeps a fallback from looping: where forkwise cannot take a
 * start (it cannot use {@code posix_spawn} in this JVM) it calls {@code ProcessBuilder} itself,
 * the nested call finds the guard set, and the JDK's code runs; the start is counted as passed
 * through.
 */
public final class StartRouter {

    /** One routed call in progress on a thread, and whether forkwise handed it back to the JDK. */
    private static final class Call {
        boolean passedThrough;
    }

    private static final ThreadLocal<Call> CURRENT = new ThreadLocal<>();
    private static final LongAdder ROUTED = new LongAdder();
    private static final LongAdder PASSED_THROUGH = new LongAdder();
    private static volatile boolean confirmed;

    private StartRouter() {
    }

    /**
     * Starts {@code builder} through forkwise, or returns {@code null} inside forkwise's own call
     * and where routing is off.
     *
     * @throws IOException as {@code ProcessBuilder.start()} throws it
     */
    public static Process start(ProcessBuilder builder) throws IOException {
        Call call = enter(1);
        if (call == null) {
            return null;
        }
        try {
            return Launcher.start(builder, ProcessGroupMode.INHERIT).process();
        } finally {
            exit(call, 1);
        }
    }

    /**
     * Starts a pipeline through forkwise, or returns {@code null} inside forkwise's own call and
     * where routing is off.
     *
     * @throws IOException as {@code ProcessBuilder.startPipeline} throws it
     */
    public static List<Process> startPipeline(List<ProcessBuilder> builders) throws IOException {
        int starts = builders.size();
        Call call = enter(starts);
        if (call == null) {
            return null;
        }
        try {
            return Launcher.startPipeline(builders);
        } finally {
            exit(call, starts);
        }
    }

    /** {@return the processes forkwise started or tried to: a pipeline counts each stage} */
    public static long routed() {
        return ROUTED.sum();
    }

    /** {@return the processes whose start was handed to the JDK's own code} */
    public static long passedThrough() {
        return PASSED_THROUGH.sum();
    }

    /** {@return a new call of {@code starts} starts, or null if this thread is inside one: then the JDK's code runs} */
    private static Call enter(int starts) {
        Call outer = CURRENT.get();
        if (outer != null) {
            outer.passedThrough = true;
            PASSED_THROUGH.add(starts);
            return null;
        }
        if (!confirmed) {
            confirmed = true;     // a race may confirm twice, never not at all
            if (!Routing.confirm()) {
                return null;
            }
        } else if (!Routing.active()) {
            return null;
        }
        StatisticsRecord.registerIfRecording();
        Call call = new Call();
        CURRENT.set(call);
        return call;
    }

    private static void exit(Call call, int starts) {
        CURRENT.remove();
        if (!call.passedThrough) {
            ROUTED.add(starts);
        }
    }
}
