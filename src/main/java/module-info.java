/**
 * forkwise: starts operating-system processes race-free and fast, as a drop-in replacement for
 * {@link java.lang.ProcessBuilder#start()}. The entry point is {@link dev.forkwise.Spawner}.
 *
 * <p>Needs native access: run with {@code --enable-native-access=dev.forkwise}. Without it, forkwise
 * delegates to {@code ProcessBuilder} and {@link dev.forkwise.Spawner#mechanism()} says so.
 */
module dev.forkwise {
    requires static jdk.jfr;   // the events, only where JFR is present (see spawn.Recorder)
    requires static transitive java.instrument;   // RoutingAgent's premain, only where it runs as an agent

    exports dev.forkwise;
}
