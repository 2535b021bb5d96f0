package dev.forkwise.jdksuite;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * A test agent for scripts/jdk-suite.sh: rewrites {@code ProcessBuilder.start()} and
 * {@code ProcessBuilder.startPipeline(List)} so that each begins by asking {@link Route}, and
 * returns what it returns unless that is {@code null}. Everything else of the JDK's code stays.
 */
public final class Agent {
    private static final ClassDesc ROUTE = ClassDesc.of("dev.forkwise.jdksuite.Route");
    private static final ClassDesc BUILDER = ClassDesc.of("java.lang.ProcessBuilder");
    private static final ClassDesc PROCESS = ClassDesc.of("java.lang.Process");
    private static final ClassDesc LIST = ClassDesc.of("java.util.List");
    private static final MethodTypeDesc START = MethodTypeDesc.of(PROCESS);
    private static final MethodTypeDesc ROUTE_START = MethodTypeDesc.of(PROCESS, BUILDER);
    private static final MethodTypeDesc PIPELINE = MethodTypeDesc.of(LIST, LIST);

    private Agent() {
    }

    /**
     * Installs the rewrite and rewrites the already loaded {@code ProcessBuilder}.
     *
     * @param args ignored
     * @param inst the JVM's instrumentation
     * @throws Exception if the class cannot be rewritten: the JVM then does not start
     */
    public static void premain(String args, Instrumentation inst) throws Exception {
        Throwable[] failure = new Throwable[1];
        boolean[] done = new boolean[1];
        ClassFileTransformer transformer = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    ProtectionDomain domain, byte[] bytes) {
                if (loader != null || !"java/lang/ProcessBuilder".equals(name)) {
                    return null;
                }
                try {
                    byte[] out = rewrite(bytes);
                    done[0] = true;
                    return out;
                } catch (Throwable t) {
                    failure[0] = t;
                    return null;
                }
            }
        };
        inst.addTransformer(transformer, true);
        inst.retransformClasses(ProcessBuilder.class);
        inst.removeTransformer(transformer);
        if (failure[0] != null || !done[0]) {
            throw new IllegalStateException("forkwise jdk-suite agent could not rewrite ProcessBuilder", failure[0]);
        }
        Route.installed();
    }

    static byte[] rewrite(byte[] bytes) {
        ClassFile cf = ClassFile.of();
        int[] rewritten = new int[1];
        byte[] result = cf.transformClass(cf.parse(bytes), (clb, ce) -> {
            if (ce instanceof MethodModel mm && mm.code().isPresent()
                    && ((mm.methodName().equalsString("start") && mm.methodTypeSymbol().equals(START))
                        || (mm.methodName().equalsString("startPipeline") && mm.methodTypeSymbol().equals(PIPELINE)))) {
                boolean pipeline = mm.methodName().equalsString("startPipeline");
                rewritten[0]++;
                clb.transformMethod(mm, (mb, me) -> {
                    if (me instanceof CodeModel code) {
                        mb.withCode(cb -> {
                            Label original = cb.newLabel();
                            cb.aload(0);
                            if (pipeline) {
                                cb.invokestatic(ROUTE, "startPipeline", PIPELINE);
                            } else {
                                cb.invokestatic(ROUTE, "start", ROUTE_START);
                            }
                            cb.dup();
                            cb.ifnull(original);
                            cb.areturn();
                            cb.labelBinding(original);
                            cb.pop();
                            code.forEach(cb::with);
                        });
                    } else {
                        mb.with(me);
                    }
                });
            } else {
                clb.with(ce);
            }
        });
        if (rewritten[0] != 2) {
            throw new IllegalStateException("expected start() and startPipeline(List), found " + rewritten[0]);
        }
        return result;
    }
}
