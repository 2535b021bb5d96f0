/**
 * The agent behind {@link dev.forkwise.RoutingAgent}: it routes every {@code ProcessBuilder} start
 * of the JVM through forkwise. It sits above the process layer and below the API package, which
 * exposes it; nothing below it knows it exists.
 *
 * <h2>How a start is routed</h2>
 *
 * {@code ProcessBuilder.start()} and {@code ProcessBuilder.startPipeline(List)} are the only ways
 * into the JDK's launcher ({@code Runtime.exec} calls {@code start()}). Each gets a prologue
 * ({@link dev.forkwise.agent.PrologueInjector}) that finds {@code RoutingAgent.Route.route} (or
 * {@code routePipeline}) through the system class loader, since {@code ProcessBuilder}'s own
 * loader, the boot loader, does not see forkwise, and calls it with a method handle; the route is
 * {@link dev.forkwise.agent.StartRouter}, which starts the process with forkwise's launcher on the
 * caller's thread. When it returns {@code null}, the prologue falls through to the JDK's code,
 * unchanged. (Appending forkwise to the boot class path would have let {@code ProcessBuilder} call
 * it directly, and makes every such JVM warn that class sharing is limited to boot classes.)
 *
 * <h2>Threads</h2>
 *
 * None of its own. {@code premain} or {@code agentmain} runs {@link dev.forkwise.agent.Routing#install}
 * on the JVM's start-up thread (or the attach thread), and the transformer with it; the router
 * runs on each caller's thread. Exits are watched by the process layer's watcher, which starts
 * with the first child, as without the agent.
 *
 * <h2>Invariants</h2>
 *
 * <ol>
 * <li><b>A start forkwise cannot take runs the JDK's code, once.</b> The router marks its thread
 *     while forkwise handles a call; when forkwise hands the start back to {@code ProcessBuilder}
 *     (it cannot use {@code posix_spawn} in this JVM), the nested call finds the mark and returns
 *     {@code null}. Proven by {@code AgentRoutingTest.aStartForkwiseHandsBackRunsTheJdksCodeWithoutLooping}:
 *     with the fallback forced after the agent started, every start is the JDK's, counted as
 *     passed through, without recursion.</li>
 * <li><b>The patch outlives other agents and costs later class loads nothing.</b> Where
 *     {@code ProcessBuilder} is not loaded yet, {@code install} loads it through a transformer
 *     registered for that load only and not retransformation-capable, so the JVM keeps the
 *     patched bytes as the class's own; where it was loaded before the agent, it is redefined
 *     with the JDK's class file patched. Either way no transformer stays registered (one makes
 *     every class load of the JVM pay for it, about 26 microseconds a class here), and another
 *     agent's retransformation starts from the patched class: {@code AgentRoutingTest}.</li>
 * <li><b>A class the patcher does not understand stays as it came, and what it patches
 *     verifies.</b> A missing method or a code attribute it cannot move leaves the JDK's class,
 *     routing off and one warning (a redefinition the verifier rejected would too).
 *     {@code PrologueInjectorTest} patches methods with loops, switches, handlers and
 *     uninitialized objects in their stack maps, and loads them verified; {@code AgentRoutingTest}
 *     runs a routed JVM with boot classes verified ({@code -XX:+BytecodeVerificationLocal}),
 *     which they are not by default.</li>
 * <li><b>A JVM that never starts a process pays for a check and a patch.</b> Start-up asks only
 *     what needs neither {@code java.lang.foreign} nor the C library (the switch, the operating
 *     system, native access), and patches {@code ProcessBuilder}; "routing" is logged with the
 *     first routed start, because the logging backend's own start-up costs 30 to 70 ms. No thread
 *     is started. {@code AgentStartupTest} counts the threads and the classes.</li>
 * </ol>
 *
 * <h2>States</h2>
 *
 * <table class="striped">
 * <caption>{@link dev.forkwise.agent.Routing}'s state, written under its lock</caption>
 * <tr><th>state</th><th>active</th><th>reached by</th></tr>
 * <tr><td>null (no agent)</td><td>false</td><td>the JVM's start</td></tr>
 * <tr><td>"routing every ProcessBuilder start through forkwise"</td><td>true</td><td>
 *     {@code install} with native access on Linux (from {@code agentmain}, native access is asked
 *     again at the first routed start); final unless that fails</td></tr>
 * <tr><td>"not routing: turned off by -Ddev.forkwise.agent=false"</td><td>false</td><td>
 *     {@code install}, with the switch off; final</td></tr>
 * <tr><td>"not routing: " and the reason</td><td>false</td><td>{@code install}, where forkwise
 *     cannot spawn, or a failed patch; or from "routing", at the first routed start without
 *     native access; final</td></tr>
 * </table>
 *
 * <p>What the agent costs, where the JDK's own {@code -javaagent} machinery already costs more,
 * is measured in {@code docs/benchmarks.md}.
 */
package dev.forkwise.agent;
