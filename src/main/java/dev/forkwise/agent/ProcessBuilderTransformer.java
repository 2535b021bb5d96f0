package dev.forkwise.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * Gives {@code java.lang.ProcessBuilder}'s {@code start()} and {@code startPipeline(List)} the
 * prologue that calls {@code RoutingAgent.Route.route} and {@code routePipeline}. Used
 * twice at most: as a transformer while {@link Routing} loads {@code ProcessBuilder}, and on the
 * JDK's class file, for a redefinition, where {@code ProcessBuilder} was loaded before the agent.
 *
 * <p>The private {@code start(Redirect[])} both methods call is left alone: a routed pipeline is
 * started whole by forkwise, which wires its own pipes between the stages, and a pipeline forkwise
 * hands back runs the JDK's code whole, internal pipe redirects included.
 */
final class ProcessBuilderTransformer implements ClassFileTransformer {

    private static final String ROUTE = "dev.forkwise.RoutingAgent$Route";
    private static final PrologueInjector.Hook START = new PrologueInjector.Hook("start", "()Ljava/lang/Process;",
            ROUTE, "route", "(Ljava/lang/ProcessBuilder;)Ljava/lang/Process;", "java/lang/Process");
    private static final PrologueInjector.Hook START_PIPELINE = new PrologueInjector.Hook("startPipeline",
            "(Ljava/util/List;)Ljava/util/List;", ROUTE, "routePipeline", "(Ljava/util/List;)Ljava/util/List;",
            "java/util/List");

    /** Null before a transformation; then "" if it patched the class, or why not. */
    private volatile String outcome;

    /**
     * {@return {@code classFile}, {@code ProcessBuilder}'s, patched}
     *
     * @throws IllegalStateException as {@link PrologueInjector#inject} throws it
     */
    static byte[] patch(byte[] classFile) {
        return PrologueInjector.inject(classFile, START, START_PIPELINE);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] classFile) {
        if (loader != null || !"java/lang/ProcessBuilder".equals(className)) {
            return null;
        }
        try {
            byte[] patched = patch(classFile);
            outcome = "";
            return patched;
        } catch (RuntimeException | ClassFormatError e) {
            outcome = "cannot patch ProcessBuilder: ".concat(String.valueOf(e));
            return null;   // the JDK's class as it came: no routing, and nothing broken
        }
    }

    /** {@return null if {@code ProcessBuilder} did not pass through, "" if it was patched, else why not} */
    String outcome() {
        return outcome;
    }
}
