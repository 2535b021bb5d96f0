package dev.forkwise.agent;

import dev.forkwise.spawn.SpawnSupport;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassDefinition;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.Optional;

/**
 * Installs the routing of {@code ProcessBuilder} starts through forkwise, once per JVM, and keeps
 * what came of it; the {@linkplain dev.forkwise.agent package essay} gives the steps, their order
 * and their cost.
 */
public final class Routing {

    /** The system property that, set to {@code false} (or {@code off}), keeps the agent from routing. */
    public static final String SWITCH_PROPERTY = "dev.forkwise.agent";

    /** The logger the agent says its state on, once. */
    public static final String LOGGER = "dev.forkwise.RoutingAgent";

    private static final String ON = "routing every ProcessBuilder start through forkwise";

    /** Null while no agent was started; then {@link #ON} or why not. Written under the class's lock. */
    private static volatile String state;

    /** Whether the patched {@code ProcessBuilder} is to be routed. */
    private static volatile boolean active;

    /** Whether native access is still to be asked, at the first routed start. */
    private static volatile boolean nativeAccessPending;

    private Routing() {
    }

    /**
     * Patches {@code ProcessBuilder}, unless the switch is off or forkwise cannot start processes
     * here. A second call changes nothing. A failure is logged here, on the {@link #LOGGER}
     * logger; that the agent routes is logged with the first routed start, because the logging
     * backend's start-up alone costs a JVM more than the agent's budget.
     *
     * @param instrumentation   the JVM's instrumentation, from {@code premain} or {@code agentmain}
     * @param nativeAccessFinal whether native access is as it will stay: false in {@code agentmain},
     *                          which may run for {@code Launcher-Agent-Class} before the launcher
     *                          applies the jar's {@code Enable-Native-Access}; then it is asked at
     *                          the first routed start
     */
    public static synchronized void install(Instrumentation instrumentation, boolean nativeAccessFinal) {
        if (state != null) {
            return;
        }
        String value = System.getProperty(SWITCH_PROPERTY, "");
        if ("false".equals(value) || "off".equals(value)) {
            state = "not routing: turned off by -D".concat(SWITCH_PROPERTY).concat("=").concat(value);
            System.getLogger(LOGGER).log(System.Logger.Level.DEBUG, state);
            return;
        }
        Optional<String> unavailable = nativeAccessFinal ? SpawnSupport.unavailableReasonWithoutProbing()
                : SpawnSupport.unavailableReasonBesidesNativeAccess();
        if (unavailable.isPresent()) {
            off(unavailable.get(), unavailable.get().startsWith("forced") ? System.Logger.Level.INFO
                    : System.Logger.Level.WARNING);
            return;
        }
        String failure = isLoaded(instrumentation, "java.lang.ProcessBuilder") ? redefine(instrumentation)
                : loadPatched(instrumentation);
        if (failure != null) {
            off(failure, System.Logger.Level.WARNING);
            return;
        }
        nativeAccessPending = !nativeAccessFinal;
        active = true;
        state = ON;
    }

    /** {@return whether starts are routed} */
    public static boolean active() {
        return active;
    }

    /** {@return what the agent does, or null if no agent was started} */
    public static String state() {
        return state;
    }

    /**
     * On the first routed start: asks native access if it was left to now, and says the state.
     * {@return whether to route}
     */
    static boolean confirm() {
        if (nativeAccessPending) {
            synchronized (Routing.class) {
                if (nativeAccessPending) {
                    nativeAccessPending = false;
                    Optional<String> denied = SpawnSupport.nativeAccessUnavailableReason();
                    if (denied.isPresent()) {
                        off(denied.get(), System.Logger.Level.WARNING);
                        return false;
                    }
                }
            }
        }
        if (active) {
            System.getLogger(LOGGER).log(System.Logger.Level.DEBUG, ON);
        }
        return active;
    }

    /** Routing stays off for {@code reason}, which is logged at {@code level}. */
    private static synchronized void off(String reason, System.Logger.Level level) {
        active = false;
        state = "not routing: ".concat(reason);
        System.getLogger(LOGGER).log(level, "forkwise agent is ".concat(state).concat("; ProcessBuilder starts as without the agent"));
    }

    /**
     * Loads {@code ProcessBuilder} through a transformer that patches it, registered for that load
     * only: a registered transformer makes every later class load of the JVM slower. It is not
     * retransformation-capable, so the JVM keeps the patched bytes as the class's own, and another
     * agent's later retransformation starts from them. {@return null, or why it failed}
     */
    private static String loadPatched(Instrumentation instrumentation) {
        ProcessBuilderTransformer transformer = new ProcessBuilderTransformer();
        instrumentation.addTransformer(transformer, false);
        try {
            Class.forName("java.lang.ProcessBuilder", false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return "cannot load ProcessBuilder: ".concat(String.valueOf(e));
        } finally {
            instrumentation.removeTransformer(transformer);
        }
        String outcome = transformer.outcome();
        if (outcome == null) {
            return "ProcessBuilder was loaded by another thread while the agent started";
        }
        return outcome.isEmpty() ? null : outcome;
    }

    /** Redefines {@code ProcessBuilder}, loaded before the agent, with the JDK's class file patched. {@return null, or why not} */
    private static String redefine(Instrumentation instrumentation) {
        if (!instrumentation.isRedefineClassesSupported()) {
            return "ProcessBuilder was loaded before the agent, and the agent's manifest lacks Can-Redefine-Classes: true";
        }
        try (InputStream in = Object.class.getResourceAsStream("/java/lang/ProcessBuilder.class")) {
            if (in == null) {
                return "the JDK's ProcessBuilder.class cannot be read";
            }
            byte[] patched = ProcessBuilderTransformer.patch(in.readAllBytes());
            instrumentation.redefineClasses(new ClassDefinition(ProcessBuilder.class, patched));
            return null;
        } catch (IOException | RuntimeException | ClassNotFoundException | UnmodifiableClassException | LinkageError e) {
            return "cannot redefine ProcessBuilder: ".concat(String.valueOf(e));
        }
    }

    private static boolean isLoaded(Instrumentation instrumentation, String name) {
        for (Class<?> loaded : instrumentation.getInitiatedClasses(null)) {
            if (loaded.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
