package dev.forkwise.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * Gives {@code java.lang.ProcessBuilder}'s {@code start()} and {@code startPipeline(List)} the
 * prologue that calls {@link RouteClass}'s methods, whenever the JVM loads or retransforms it;
 * on its first load it has the route class defined first.
 *
 * <p>It stays registered: a later retransformation by any agent (a profiler, a debugger) starts
 * again from the JDK's original bytes and would otherwise drop the prologue. The private
 * {@code start(Redirect[])} both methods call is left alone: a routed pipeline is started whole by
 * forkwise, which wires its own pipes between the stages, and a pipeline forkwise hands back runs
 * the JDK's code whole, internal pipe redirects included.
 */
final class ProcessBuilderTransformer implements ClassFileTransformer {

    private static final PrologueInjector.Hook START = new PrologueInjector.Hook("start", "()Ljava/lang/Process;",
            RouteClass.INTERNAL_NAME, "start", RouteClass.START, "java/lang/Process");
    private static final PrologueInjector.Hook START_PIPELINE = new PrologueInjector.Hook("startPipeline",
            RouteClass.START_PIPELINE, RouteClass.INTERNAL_NAME, "startPipeline", RouteClass.START_PIPELINE,
            "java/util/List");

    /** Why the last transformation left the class as it came, or null. */
    private volatile String failure;

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] classFile) {
        if (loader != null || !"java/lang/ProcessBuilder".equals(className)) {
            return null;
        }
        String failure = Routing.defineRoute();
        byte[] patched = null;
        if (failure == null) {
            try {
                patched = PrologueInjector.inject(classFile, START, START_PIPELINE);
            } catch (RuntimeException | ClassFormatError e) {
                failure = "cannot patch ProcessBuilder: ".concat(String.valueOf(e));
            }
        }
        this.failure = failure;
        if (failure != null && redefined == null) {
            Routing.off(failure, System.Logger.Level.WARNING);   // on a retransformation the caller says it
        }
        return patched;   // null: the JDK's class as it came, no routing, and nothing broken
    }

    /** {@return why the last transformation left {@code ProcessBuilder} as it came, or null} */
    String failure() {
        return failure;
    }
}
