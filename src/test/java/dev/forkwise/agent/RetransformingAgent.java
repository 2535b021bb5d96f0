package dev.forkwise.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Another agent, as a profiler or a debugger would be: started after forkwise's, it retransforms
 * {@code ProcessBuilder} with a transformer that only counts, and says so on standard output.
 * {@code AgentRoutingTest} checks that forkwise's routing survives it.
 */
public final class RetransformingAgent {

    private RetransformingAgent() {
    }

    public static void premain(String options, Instrumentation instrumentation) throws Exception {
        int[] seen = new int[1];
        ClassFileTransformer counting = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    ProtectionDomain domain, byte[] classFile) {
                if ("java/lang/ProcessBuilder".equals(name)) {
                    seen[0]++;
                }
                return null;
            }
        };
        instrumentation.addTransformer(counting, true);
        instrumentation.retransformClasses(ProcessBuilder.class);
        instrumentation.removeTransformer(counting);
        System.out.println("retransformed: " + seen[0]);
    }
}
