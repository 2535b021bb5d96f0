package dev.forkwise.agent;

import dev.forkwise.spawn.SpawnSupport;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /** Whether {@code ProcessBuilder} is, or will be when it loads, patched to call the route class. */
    private static volatile boolean active;

    /** The instrumentation the route class is defined with, when {@code ProcessBuilder} loads. */
    private static Instrumentation instrumentation;

    /** Whether the route class is defined and points at {@link StartRouter}. Guarded by the class. */
    private static boolean routeDefined;

    private Routing() {
    }

    /**
     * Installs the routing, unless the switch is off or forkwise cannot start processes here. A
     * second call changes nothing. A failure is logged here, on the {@link #LOGGER} logger; that
     * the agent routes is logged with the first routed start, because the logging backend's
     * start-up alone costs a JVM more than the agent's budget.
     *
     * @param instrumentation the JVM's instrumentation, from {@code premain} or {@code agentmain}
     * @param nativeAccessFinal whether native access is as it will stay: false in {@code agentmain},
     *                          which may run for {@code Launcher-Agent-Class} before the launcher
     *                          applies the jar's {@code Enable-Native-Access}; then it is asked
     *                          again when {@code ProcessBuilder} loads
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
        Routing.instrumentation = instrumentation;
        ProcessBuilderTransformer transformer = new ProcessBuilderTransformer();
        boolean retransform = instrumentation.isRetransformClassesSupported();
        instrumentation.addTransformer(transformer, retransform);
        active = true;
        state = ON;
        if (isLoaded(instrumentation, "java.lang.ProcessBuilder")) {
            String failure = defineRoute();
            if (failure == null && !retransform) {
                failure = "ProcessBuilder was loaded before the agent, and the agent's manifest lacks Can-Retransform-Classes: true";
            }
            if (failure == null) {
                try {
                    instrumentation.retransformClasses(ProcessBuilder.class);
                    failure = transformer.failure();
                } catch (Throwable e) {
                    failure = "cannot retransform ProcessBuilder: ".concat(String.valueOf(e));
                }
            }
            if (failure != null) {
                instrumentation.removeTransformer(transformer);
                off(failure, System.Logger.Level.WARNING);
            }
        }
    }

    /** {@return whether starts are routed} */
    public static boolean active() {
        return active;
    }

    /** {@return what the agent does, or null if no agent was started} */
    public static String state() {
        return state;
    }

    /** {@return the processes routed through forkwise} */
    public static long routed() {
        return StartRouter.routed();
    }

    /** {@return the processes passed through to the JDK's code} */
    public static long passedThrough() {
        return StartRouter.passedThrough();
    }

    /** Says the state once, on the first routed start. */
    static void sayRouting() {
        System.getLogger(LOGGER).log(System.Logger.Level.DEBUG, ON);
    }

    /** Routing stays off for {@code reason}, which is logged at {@code level}. */
    static synchronized void off(String reason, System.Logger.Level level) {
        active = false;
        state = "not routing: ".concat(reason);
        System.getLogger(LOGGER).log(level, "forkwise agent is ".concat(state).concat("; ProcessBuilder starts as without the agent"));
    }

    /**
     * Defines the route class in {@code java.lang} and points it at {@link StartRouter}, once;
     * called before {@code ProcessBuilder} is patched, from its first load or before its
     * retransformation. {@return null, or why it cannot be done}
     */
    static synchronized String defineRoute() {
        if (routeDefined) {
            return null;
        }
        Optional<String> noNativeAccess = SpawnSupport.nativeAccessUnavailableReason();
        if (noNativeAccess.isPresent()) {
            return noNativeAccess.get();
        }
        try {
            instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                    Map.of("java.lang", Set.of(Routing.class.getModule())), Set.of(), Map.of());
            // a lookup on Object, not ProcessBuilder: this may run while ProcessBuilder is being loaded
            MethodHandles.Lookup javaLang = MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup());
            Class<?> route = javaLang.defineClass(RouteClass.bytes());
            MethodType routeType = MethodType.methodType(Object.class, Object.class);
            MethodHandles.Lookup own = MethodHandles.lookup();
            MethodHandle start = own.findStatic(StartRouter.class, "start", routeType);
            MethodHandle startPipeline = own.findStatic(StartRouter.class, "startPipeline", routeType);
            javaLang.findStaticSetter(route, "start", MethodHandle.class).invokeExact(start);
            javaLang.findStaticSetter(route, "startPipeline", MethodHandle.class).invokeExact(startPipeline);
        } catch (Throwable e) {
            return "cannot define the route class in java.lang: ".concat(String.valueOf(e));
        }
        routeDefined = true;
        return null;
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
