package dev.forkwise.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The class that the patched {@code ProcessBuilder} calls, written here as bytes and defined in
 * {@code java.lang}, beside it:
 *
 * {@snippet :
 * final class ForkwiseStartRoute {                 // package-private, in java.base
 *     static volatile MethodHandle start;          // (Object)Object
 *     static volatile MethodHandle startPipeline;  // (Object)Object
 *
 *     static Process start(ProcessBuilder builder) {
 *         return (Process) (Object) start.invokeExact((Object) builder);
 *     }
 *
 *     static List startPipeline(List builders) {
 *         return (List) (Object) startPipeline.invokeExact((Object) builders);
 *     }
 * }
 * }
 *
 * <p>{@code ProcessBuilder} is a boot class and resolves what it calls through the boot loader,
 * which does not see forkwise. A class defined in {@code java.base} does, and the handles it holds
 * lead to forkwise in whatever loader has it. Appending forkwise to the boot class path would
 * have done it too, but makes every such JVM warn that class sharing is limited to boot classes,
 * which breaks programs that compare a JVM's standard error.
 *
 * <p>The handles take and return {@code Object}, so that making them loads neither
 * {@code ProcessBuilder} nor anything else: they are made while {@code ProcessBuilder} itself is
 * being loaded. The methods have no branch, so the class needs no stack map; checked exceptions
 * are the compiler's rule, not the JVM's, so what the handles throw passes through unchanged.
 */
final class RouteClass {

    /** The binary name of the class. */
    static final String NAME = "java.lang.ForkwiseStartRoute";

    /** Its internal name, as the prologue's {@code invokestatic} names it. */
    static final String INTERNAL_NAME = "java/lang/ForkwiseStartRoute";

    /** The descriptor of {@code start}. */
    static final String START = "(Ljava/lang/ProcessBuilder;)Ljava/lang/Process;";

    /** The descriptor of {@code startPipeline}. */
    static final String START_PIPELINE = "(Ljava/util/List;)Ljava/util/List;";

    private static final String HANDLE_TYPE = "(Ljava/lang/Object;)Ljava/lang/Object;";

    private static final String HANDLE = "Ljava/lang/invoke/MethodHandle;";
    private static final int JAVA_22 = 66;

    private RouteClass() {
    }

    /** {@return the class file} */
    static byte[] bytes() {
        ConstantPool pool = ConstantPool.empty();
        int thisClass = pool.classEntry(INTERNAL_NAME);
        int superClass = pool.classEntry("java/lang/Object");
        int code = pool.utf8("Code");
        ByteArrayOutputStream members = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(members)) {
            out.writeShort(2);                                        // fields
            writeField(out, pool, "start");
            writeField(out, pool, "startPipeline");
            out.writeShort(2);                                        // methods
            writeMethod(out, pool, code, "start", START, "java/lang/Process");
            writeMethod(out, pool, code, "startPipeline", START_PIPELINE, "java/util/List");
            out.writeShort(0);                                        // class attributes
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(result)) {
            out.writeInt(0xcafebabe);
            out.writeShort(0);
            out.writeShort(JAVA_22);
            pool.writeTo(out);
            out.writeShort(0x1030);                                   // ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC
            out.writeShort(thisClass);
            out.writeShort(superClass);
            out.writeShort(0);                                        // interfaces
            members.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result.toByteArray();
    }

    private static void writeField(DataOutputStream out, ConstantPool pool, String name) throws IOException {
        out.writeShort(0x0048);                                       // ACC_STATIC | ACC_VOLATILE
        out.writeShort(pool.utf8(name));
        out.writeShort(pool.utf8(HANDLE));
        out.writeShort(0);
    }

    private static void writeMethod(DataOutputStream out, ConstantPool pool, int code, String name, String descriptor,
                                    String returnType) throws IOException {
        int field = pool.fieldRef(INTERNAL_NAME, name, HANDLE);
        int invokeExact = pool.methodRef("java/lang/invoke/MethodHandle", "invokeExact", HANDLE_TYPE);
        int cast = pool.classEntry(returnType);
        out.writeShort(0x0008);                                       // ACC_STATIC
        out.writeShort(pool.utf8(name));
        out.writeShort(pool.utf8(descriptor));
        out.writeShort(1);
        out.writeShort(code);
        out.writeInt(2 + 2 + 4 + 11 + 2 + 2);
        out.writeShort(2);                                            // max stack
        out.writeShort(1);                                            // max locals
        out.writeInt(11);
        out.writeByte(0xb2);                                          // getstatic
        out.writeShort(field);
        out.writeByte(0x2a);                                          // aload_0
        out.writeByte(0xb6);                                          // invokevirtual
        out.writeShort(invokeExact);
        out.writeByte(0xc0);                                          // checkcast
        out.writeShort(cast);
        out.writeByte(0xb0);                                          // areturn
        out.writeShort(0);                                            // exception table
        out.writeShort(0);                                            // code attributes
    }
}
