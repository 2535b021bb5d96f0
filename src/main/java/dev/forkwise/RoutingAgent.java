package dev.forkwise;

import dev.forkwise.agent.Routing;

import java.lang.instrument.Instrumentation;

/**
 * The Java agent in forkwise's jar: it routes every {@link ProcessBuilder#start()} and
 * {@link ProcessBuilder#startPipeline(java.util.List)} of the JVM through forkwise, and so every
 * {@link Runtime#exec(String[])}, third-party code included, without a change to that code.
 *
 * {@snippet lang=sh :
 * java -javaagent:forkwise.jar --enable-native-access=ALL-UNNAMED -jar app.jar
 * }
 *
 * <p>A routed start behaves as {@link Spawner#start(ProcessBuilder)} does: the same process, the
 * same exceptions and messages, without the {@code ETXTBSY} race, and without descriptors leaked
 * into a sibling's child. Where forkwise cannot start a process itself (it cannot use
 * {@code posix_spawn} in this JVM), the JDK's own code runs, unchanged.
 *
 * <p>The agent routes nothing, warns once on the {@link System.Logger} named
 * {@code dev.forkwise.RoutingAgent}, and leaves the JVM otherwise as it was, when native access is
 * not enabled for forkwise ({@code --enable-native-access=ALL-UNNAMED} with the jar on the class
 * path, {@code =dev.forkwise} with forkwise on the module path), when the platform is not 64-bit
 * Linux, or when {@code ProcessBuilder} cannot be patched. With
 * {@code -Ddev.forkwise.agent=false} it routes nothing and says so at {@code DEBUG}; when it
 * routes, it says that at {@code DEBUG} too.
 *
 * <p>The agent starts no thread and touches no native code until the first start. To patch
 * {@code ProcessBuilder} it defines one package-private class in {@code java.lang} and, for that,
 * opens {@code java.lang} to the module that holds forkwise: with forkwise on the class path, to
 * all code on the class path, as {@code --add-opens java.base/java.lang=ALL-UNNAMED} would.
 *
 * <p>The jar's manifest names this class as {@code Premain-Class} (for {@code -javaagent}),
 * {@code Agent-Class} (for attaching to a running JVM) and {@code Launcher-Agent-Class} (for an
 * executable jar that contains forkwise), with {@code Can-Retransform-Classes: true}, since
 * {@code ProcessBuilder} may be loaded before the agent starts.
 *
 * @see <a href="https://github.com/forkwise/forkwise#protect-a-whole-jvm">Protect a whole JVM</a>
 */
public final class RoutingAgent {

    private RoutingAgent() {
    }

    /**
     * Starts the agent before {@code main}, for {@code -javaagent:forkwise.jar}.
     *
     * @param options         the agent's options; there are none, and they are ignored
     * @param instrumentation the JVM's instrumentation
     */
    public static void premain(String options, Instrumentation instrumentation) {
        Routing.install(instrumentation, true);
    }

    /**
     * Starts the agent in a running JVM, or before {@code main} of an executable jar whose
     * manifest names this class as {@code Launcher-Agent-Class}. A JVM in which the agent already
     * runs is left as it is.
     *
     * @param options         the agent's options; there are none, and they are ignored
     * @param instrumentation the JVM's instrumentation
     */
    public static void agentmain(String options, Instrumentation instrumentation) {
        Routing.install(instrumentation, false);
    }

    /**
     * {@return whether the agent routes {@code ProcessBuilder} starts in this JVM}: false where no
     * agent was started, where it was turned off, and where it could not route
     */
    public static boolean isActive() {
        return Routing.active();
    }

    /**
     * {@return what the agent does in this JVM, in words}: that it routes, or why it does not,
     * as it logged it at start-up; {@code "no agent"} if none was started
     */
    public static String state() {
        String state = Routing.state();
        return state == null ? "no agent" : state;
    }

    /**
     * {@return how many processes the agent has routed through forkwise}, failed starts included;
     * each stage of a pipeline counts
     */
    public static long routedStarts() {
        return Routing.routed();
    }

    /**
     * {@return how many processes the agent has passed through to the JDK's own code}, because
     * forkwise could not start them itself
     */
    public static long passedThroughStarts() {
        return Routing.passedThrough();
    }
}
