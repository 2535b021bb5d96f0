package dev.forkwise;

import dev.forkwise.agent.Routing;
import dev.forkwise.agent.StartRouter;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.List;

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
 * <p>The agent starts no thread and touches no native code until the first start. It changes
 * {@code ProcessBuilder}'s two methods, which begin by calling {@link Route#route} and
 * {@link Route#routePipeline}, and nothing else in the JVM.
 *
 * <p>The jar's manifest names this class as {@code Premain-Class} (for {@code -javaagent}),
 * {@code Agent-Class} (for attaching to a running JVM) and {@code Launcher-Agent-Class} (for an
 * executable jar that contains forkwise), with {@code Can-Redefine-Classes: true}, since
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
        return StartRouter.routed();
    }

    /**
     * {@return how many processes the agent has passed through to the JDK's own code}, because
     * forkwise could not start them itself
     */
    public static long passedThroughStarts() {
        return StartRouter.passedThrough();
    }

    /**
     * Where the patched {@code ProcessBuilder} calls: not meant to be called otherwise. A class of
     * its own, so that starting the agent, which looks its methods up by reflection, loads no
     * {@code ProcessBuilder} before the agent can patch it as it loads.
     */
    public static final class Route {

        private Route() {
        }

        /**
         * Starts {@code builder}'s process through forkwise, as {@link Spawner#start(ProcessBuilder)}
         * does, for the patched {@code ProcessBuilder.start()}: not meant to be called otherwise.
         *
         * @param builder the builder whose {@code start()} was called
         * @return the started process, or {@code null} if {@code ProcessBuilder}'s own code is to run:
         *         routing is off, or forkwise itself is handing the start to {@code ProcessBuilder}
         * @throws IOException as {@link ProcessBuilder#start()} throws it
         */
        public static Process route(ProcessBuilder builder) throws IOException {
            return StartRouter.start(builder);
        }

        /**
         * Starts a pipeline through forkwise, as {@link Spawner#startPipeline(List)} does, for the
         * patched {@code ProcessBuilder.startPipeline(List)}: not meant to be called otherwise.
         *
         * @param builders the builders passed to {@code startPipeline}
         * @return the started processes, or {@code null} if {@code ProcessBuilder}'s own code is to
         *         run: routing is off, or forkwise itself is handing the pipeline to {@code ProcessBuilder}
         * @throws IOException as {@link ProcessBuilder#startPipeline(List)} throws it
         */
        public static List<Process> routePipeline(List<ProcessBuilder> builders) throws IOException {
            return StartRouter.startPipeline(builders);
        }
    }
}
