package dev.forkwise.agent;

import dev.forkwise.spawn.Recorder;

/**
 * Registers {@link RoutingStatistics} with JFR once its recorder has started, and not before, so
 * that a JVM nobody records loads none of JFR's event machinery on the agent's account (see
 * {@link Recorder}). Asked on each routed start, and when the agent is asked for its counts.
 */
final class StatisticsRecord {

    private static volatile boolean registered;

    private StatisticsRecord() {
    }

    /** Registers the periodic event, the first time the recorder is seen started. */
    static void registerIfRecording() {
        if (registered || !Recorder.started()) {
            return;
        }
        synchronized (StatisticsRecord.class) {
            if (!registered) {
                RoutingStatistics.register();
                registered = true;
            }
        }
    }
}
