/**
 * The agent behind {@link dev.forkwise.RoutingAgent}: it routes every {@code ProcessBuilder} start
 * of the JVM through forkwise. It sits above the process layer and below the API package, which
 * exposes it; nothing below it knows it exists.
 *
 * <h2>How a start is routed</h2>
 *
 * {@code ProcessBuilder.start()} and {@code ProcessBuilder.startPipeline(List)} are the only ways
 * into the JDK's launcher ({@code Runtime.exec} calls {@code start()}). Each gets a prologue
 * ({@link dev.forkwise.agent.PrologueInjector}) that calls a package-private class the agent
 * defines in {@code java.lang} ({@link dev.forkwise.agent.RouteClass}), whose method handles lead
 * to {@link dev.forkwise.agent.StartRouter}, which starts the process with forkwise's launcher on
 * the caller's thread. When the router returns {@code null}, the prologue falls through to the
 * JDK's code, unchanged.
 *
 * <h2>Threads</h2>
 *
 * None of its own. {@code premain} or {@code agentmain} runs {@link dev.forkwise.agent.Routing#install}
 * on the JVM's start-up thread (or the attach thread); the transformer runs on whichever thread
 * loads or retransforms {@code ProcessBuilder}; the router runs on each caller's thread. Exits are
 * watched by the process layer's watcher, which starts with the first child, as without the agent.
 *
 * <h2>Invariants</h2>
 *
 * <ol>
 * <li><b>A start forkwise cannot take runs the JDK's code, once.</b> The router marks its thread
 *     while forkwise handles a call; when forkwise hands the start back to {@code ProcessBuilder}
 *     (it cannot use {@code posix_spawn} in this JVM), the nested call finds the mark and returns
 *     {@code null}. Proven by {@code AgentFallbackTest}: with the fallback forced after the
 *     agent started, every start is the JDK's, counted as passed through, without recursion.</li>
 * <li><b>{@code ProcessBuilder} is never patched to call a route that is not there.</b> The route
 *     class is defined and its handles set before the patched bytes are returned, on its first
 *     load, or before it is retransformed, if it was loaded before the agent.</li>
 * <li><b>A class the patcher does not understand stays as it came.</b> A missing method, a code
 *     attribute it cannot move, or a class the verifier rejects leaves the JDK's class, routing
 *     off and one warning: {@code PrologueInjectorTest} patches methods with loops, switches,
 *     handlers and uninitialized objects in their stack maps, and loads them verified.</li>
 * <li><b>A JVM that never starts a process pays for a check and a transformer.</b> Start-up asks
 *     only what needs neither {@code java.lang.foreign} nor the C library (the switch, the
 *     operating system, native access) and registers the transformer; the route is defined when
 *     {@code ProcessBuilder} first loads, and "routing" is logged with the first routed start,
 *     because the logging backend's own start-up costs 30 to 70 ms. No thread is started.
 *     {@code AgentStartupTest} counts the threads and the classes.</li>
 * </ol>
 *
 * <h2>States</h2>
 *
 * <table class="striped">
 * <caption>{@link dev.forkwise.agent.Routing}'s state, written under its lock</caption>
 * <tr><th>state</th><th>active</th><th>reached by</th></tr>
 * <tr><td>null (no agent)</td><td>false</td><td>the JVM's start</td></tr>
 * <tr><td>"routing every ProcessBuilder start through forkwise"</td><td>true</td><td>
 *     {@code install} with native access on Linux; final unless patching fails</td></tr>
 * <tr><td>"not routing: turned off by -Ddev.forkwise.agent=false"</td><td>false</td><td>
 *     {@code install}, with the switch off; final</td></tr>
 * <tr><td>"not routing: " and the reason</td><td>false</td><td>{@code install}, where forkwise
 *     cannot spawn, or a failed patch (then from "routing"); final</td></tr>
 * </table>
 *
 * <p>What the agent costs, where the JDK's own {@code -javaagent} machinery already costs more,
 * is measured in {@code docs/benchmarks.md}.
 */
package dev.forkwise.agent;
