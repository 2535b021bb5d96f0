package dev.forkwise.agent;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * A periodic JFR event with the agent's counts: whether it routes, how many processes it routed
 * through forkwise, how many it passed through to the JDK's code. Registered by
 * {@link StatisticsRecord}, only once JFR's recorder has started; emitted at the start and end of
 * every recording chunk, like the JDK's own statistics events.
 */
@Name("dev.forkwise.RoutingStatistics")
@Label("forkwise Routing Statistics")
@Category({"forkwise"})
@Description("The forkwise agent's counts of ProcessBuilder starts it routed and passed through")
@StackTrace(false)
@Period("endChunk")
final class RoutingStatistics extends jdk.jfr.Event {

    @Label("Active")
    @Description("Whether the agent routes ProcessBuilder starts through forkwise")
    boolean active;

    @Label("Routed")
    @Description("Processes started through forkwise, failed starts and each pipeline stage included")
    long routed;

    @Label("Passed Through")
    @Description("Processes whose start forkwise handed to the JDK's own code")
    long passedThrough;

    @Label("State")
    String state;

    /** Adds the event to JFR's periodic events. */
    static void register() {
        FlightRecorder.addPeriodicEvent(RoutingStatistics.class, () -> {
            RoutingStatistics event = new RoutingStatistics();
            event.active = Routing.active();
            event.routed = StartRouter.routed();
            event.passedThrough = StartRouter.passedThrough();
            event.state = Routing.state();
            event.commit();
        });
    }
}
