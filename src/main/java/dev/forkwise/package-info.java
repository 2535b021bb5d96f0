/**
 * forkwise's public API: start operating-system processes like {@link java.lang.ProcessBuilder#start()},
 * without its {@code ETXTBSY} race, and faster.
 *
 * <ul>
 * <li>{@link dev.forkwise.Spawner} starts processes: {@code Spawner.start(builder)} instead of
 *     {@code builder.start()}, and {@code run}, {@code startPipeline}.</li>
 * <li>{@link dev.forkwise.SpawnOptions} says what a {@code ProcessBuilder} cannot: a process
 *     group or session of its own, a deadline (that may fail the run), standard input to feed,
 *     consumers or a logger for output lines, and destruction at JVM exit.</li>
 * <li>{@link dev.forkwise.ChildProcess} is the {@code Process} started with options;
 *     {@link dev.forkwise.ProcessOutput} reads its outputs without a thread per stream;
 *     {@link dev.forkwise.ProcessResult} is what {@code run} collects, and
 *     {@link dev.forkwise.ProcessFailedException} what its exit-value check throws.</li>
 * <li>{@link dev.forkwise.Mechanism} tells how this JVM starts processes, and why not with
 *     {@code posix_spawn} when it cannot.</li>
 * <li>{@link dev.forkwise.RoutingAgent} is the Java agent in forkwise's jar:
 *     {@code -javaagent:forkwise.jar} routes every {@code ProcessBuilder} start of the JVM through
 *     forkwise, third-party code's included.</li>
 * </ul>
 *
 * <h2>Conventions</h2>
 *
 * Unless a method says otherwise, passing {@code null} for an argument throws
 * {@link java.lang.NullPointerException}. Every class of this package is thread-safe: any number
 * of threads, platform or virtual, may use one instance, and concurrent starts do not wait for
 * each other. Blocking methods ({@code waitFor}, stream reads and writes) park a virtual thread
 * without pinning its carrier.
 *
 * <h2>System properties</h2>
 *
 * Read once, when {@link dev.forkwise.Spawner} is first used.
 *
 * <table class="striped">
 * <caption>system properties forkwise reads</caption>
 * <tr><th>property</th><th>value</th><th>effect</th></tr>
 * <tr><td>{@code dev.forkwise.forceFallback}</td><td>{@code true}</td><td>start every process with
 *     {@code ProcessBuilder.start()}, as where {@code posix_spawn} is unavailable; process groups
 *     are then unsupported</td></tr>
 * <tr><td>{@code dev.forkwise.exitWatcher}</td><td>{@code threads}</td><td>watch each child with a
 *     waiting thread of its own instead of its pidfd on the one watcher thread, as before
 *     Linux 5.4</td></tr>
 * <tr><td>{@code dev.forkwise.agent}</td><td>{@code false} or {@code off}</td><td>the agent routes
 *     nothing (read when the agent starts)</td></tr>
 * </table>
 *
 * <h2>Diagnostics</h2>
 *
 * When forkwise cannot use {@code posix_spawn}, it says why once, on the {@link java.lang.System.Logger}
 * named {@code dev.forkwise} (a warning; information when forced). A failed event handler on the
 * watcher thread is logged as an error on {@code dev.forkwise.process.EventLoop}. Each start
 * through {@code posix_spawn} is a JFR event {@code dev.forkwise.ProcessStart} with the caller's
 * stack ({@code dev.forkwise.ProcessStartFailed} if it fails), each {@code ETXTBSY} retry a
 * {@code dev.forkwise.BusyExecutableRetry}, each exit a {@code dev.forkwise.ProcessExit}, each
 * signal a deadline sends a {@code dev.forkwise.DeadlineKill}, and the agent's counts are the
 * periodic {@code dev.forkwise.RoutingStatistics}; all are on in a recording with JFR's default
 * settings, as the JDK's {@code jdk.ProcessStart} is. The agent says why it does not route on the
 * logger {@code dev.forkwise.RoutingAgent}, as a warning at start-up. JFR is optional ({@code requires static jdk.jfr}), and its event machinery is not
 * loaded until JFR's recorder has started. Each start through {@code posix_spawn} is also logged
 * on the {@code java.lang.ProcessBuilder} logger, at {@code DEBUG} or {@code TRACE}, with the
 * record {@code ProcessBuilder.start()} writes on JDK 21 and later.
 */
package dev.forkwise;
