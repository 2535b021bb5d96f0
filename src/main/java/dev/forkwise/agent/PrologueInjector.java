package dev.forkwise.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import static dev.forkwise.agent.ConstantPool.u2;
import static dev.forkwise.agent.ConstantPool.u4;

/**
 * Puts a prologue in front of one method's code in a class file: the method first calls a public
 * static route, looked up by name through the system class loader, with its first local (the
 * receiver, or a static method's first argument), and returns what the route returns, unless that
 * is {@code null}; then its own code runs unchanged.
 *
 * {@snippet lang=text :
 *  0: invokestatic  ClassLoader.getSystemClassLoader()
 *  3: ldc_w         "route class"
 *  6: invokevirtual ClassLoader.loadClass(String)
 *  9: invokestatic  MethodHandles.publicLookup()
 * 12: swap
 * 13: ldc_w         "route name"
 * 16: ldc_w         MethodType (route descriptor)
 * 19: invokevirtual Lookup.findStatic(Class, String, MethodType)
 * 22: aload_0
 * 23: invokevirtual MethodHandle.invokeExact (route descriptor)
 * 26: dup
 * 27: ifnull 31
 * 30: areturn
 * 31: pop                          // frame: the method's arguments, stack [return type]
 * 32: nop ... 35: nop              // 36 bytes: switch padding in the original code stays aligned
 * 36: the original code
 * }
 *
 * <p>The route is found by name on each call because the patched class may be a boot class, whose
 * own loader does not see the route's; {@code loadClass} of a loaded class and {@code findStatic}
 * cost a microsecond or two, beside a start's hundreds. A method handle, not reflection, so that
 * what the route throws reaches the caller as it was thrown.
 *
 * <p>Only code may change, so everything else is copied as it came. The original code moves by
 * 36 bytes, which its relative branches do not notice; what holds absolute code offsets is moved
 * with it: the exception table, the stack map (whose first delta is re-encoded, and whose
 * uninitialized-object types name the offset of their {@code new}), and the line number and local
 * variable tables. A code attribute of any other kind is refused rather than guessed at, and so is
 * a method that is not there: {@link IllegalStateException}, and the class stays as it was.
 */
final class PrologueInjector {

    private static final int LENGTH = 36;
    private static final int FRAME_OFFSET = 31;
    private static final int IFNULL_OFFSET = 27;
    private static final int SAME_LOCALS_1_STACK_ITEM = 64;
    private static final int SAME_LOCALS_1_STACK_ITEM_EXTENDED = 247;
    private static final int SAME_FRAME_EXTENDED = 251;
    private static final int FULL_FRAME = 255;
    private static final int ITEM_OBJECT = 7;
    private static final int ITEM_UNINITIALIZED = 8;

    /**
     * A method to give a prologue, and the public static route it calls.
     *
     * @param name            the method's name
     * @param descriptor      the method's descriptor
     * @param routeClass      the binary name of the route's class, as the system class loader finds it
     * @param routeName       the route's name
     * @param routeDescriptor the route's descriptor: the type of local 0, returning the method's type
     * @param returnType      the internal name of the method's (reference) return type
     */
    record Hook(String name, String descriptor, String routeClass, String routeName, String routeDescriptor,
                String returnType) {
    }

    private PrologueInjector() {
    }

    /**
     * {@return {@code classFile} with a prologue in front of each hooked method}
     *
     * @throws IllegalStateException if a hooked method is missing, abstract, or has code this
     *                               class cannot move
     * @throws ClassFormatError      if {@code classFile} is malformed
     */
    static byte[] inject(byte[] classFile, Hook... hooks) {
        ConstantPool pool = ConstantPool.read(classFile);
        int at = pool.end() + 6;                                     // access, this, super
        at += 2 + 2 * u2(classFile, at);                             // interfaces
        at = skipMembers(classFile, at);                             // fields
        int methods = u2(classFile, at);
        at += 2;
        ByteArrayOutputStream rest = new ByteArrayOutputStream(classFile.length + 256);
        int copiedTo = pool.end();
        boolean[] found = new boolean[hooks.length];
        for (int m = 0; m < methods; m++) {
            String name = pool.text(u2(classFile, at + 2));
            String descriptor = pool.text(u2(classFile, at + 4));
            int attributes = u2(classFile, at + 6);
            at += 8;
            Hook hook = null;
            for (int h = 0; h < hooks.length; h++) {
                if (hooks[h].name().equals(name) && hooks[h].descriptor().equals(descriptor)) {
                    hook = hooks[h];
                    found[h] = true;
                }
            }
            for (int a = 0; a < attributes; a++) {
                int length = u4(classFile, at + 2);
                if (hook != null && "Code".equals(pool.text(u2(classFile, at)))) {
                    rest.write(classFile, copiedTo, at - copiedTo);
                    writeCode(classFile, at, pool, hook, rest);
                    copiedTo = at + 6 + length;
                    hook = null;
                }
                at += 6 + length;
            }
            if (hook != null) {
                throw new IllegalStateException(hook.name().concat(" has no code"));
            }
        }
        for (int h = 0; h < hooks.length; h++) {
            if (!found[h]) {
                throw new IllegalStateException("no method ".concat(hooks[h].name()).concat(hooks[h].descriptor()));
            }
        }
        rest.write(classFile, copiedTo, classFile.length - copiedTo);
        ByteArrayOutputStream result = new ByteArrayOutputStream(classFile.length + 256);
        try (DataOutputStream out = new DataOutputStream(result)) {
            out.write(classFile, 0, 8);
            pool.writeTo(out);
            rest.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // memory streams do not fail
        }
        return result.toByteArray();
    }

    private static int skipMembers(byte[] classFile, int at) {
        int count = u2(classFile, at);
        at += 2;
        for (int i = 0; i < count; i++) {
            int attributes = u2(classFile, at + 6);
            at += 8;
            for (int a = 0; a < attributes; a++) {
                at += 6 + u4(classFile, at + 2);
            }
        }
        return at;
    }

    /** Writes the Code attribute at {@code at}, with the prologue, to {@code out}. */
    private static void writeCode(byte[] cf, int at, ConstantPool pool, Hook hook, ByteArrayOutputStream sink) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(body)) {
            int maxStack = u2(cf, at + 6);
            int maxLocals = u2(cf, at + 8);
            int codeLength = u4(cf, at + 10);
            int code = at + 14;
            if (codeLength + LENGTH > 0xffff) {
                throw new IllegalStateException(hook.name().concat(" is too long for a prologue"));
            }
            out.writeShort(Math.max(maxStack, 4));
            out.writeShort(maxLocals);
            out.writeInt(codeLength + LENGTH);
            out.writeByte(0xb8);                                    // invokestatic
            out.writeShort(pool.methodRef("java/lang/ClassLoader", "getSystemClassLoader", "()Ljava/lang/ClassLoader;"));
            out.writeByte(0x13);                                    // ldc_w
            out.writeShort(pool.string(hook.routeClass()));
            out.writeByte(0xb6);                                    // invokevirtual
            out.writeShort(pool.methodRef("java/lang/ClassLoader", "loadClass", "(Ljava/lang/String;)Ljava/lang/Class;"));
            out.writeByte(0xb8);                                    // invokestatic
            out.writeShort(pool.methodRef("java/lang/invoke/MethodHandles", "publicLookup",
                    "()Ljava/lang/invoke/MethodHandles$Lookup;"));
            out.writeByte(0x5f);                                    // swap
            out.writeByte(0x13);                                    // ldc_w
            out.writeShort(pool.string(hook.routeName()));
            out.writeByte(0x13);                                    // ldc_w
            out.writeShort(pool.methodType(hook.routeDescriptor()));
            out.writeByte(0xb6);                                    // invokevirtual
            out.writeShort(pool.methodRef("java/lang/invoke/MethodHandles$Lookup", "findStatic",
                    "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;"));
            out.writeByte(0x2a);                                    // aload_0
            out.writeByte(0xb6);                                    // invokevirtual
            out.writeShort(pool.methodRef("java/lang/invoke/MethodHandle", "invokeExact", hook.routeDescriptor()));
            out.writeByte(0x59);                                    // dup
            out.writeByte(0xc6);                                    // ifnull
            out.writeShort(FRAME_OFFSET - IFNULL_OFFSET);
            out.writeByte(0xb0);                                    // areturn
            out.writeByte(0x57);                                    // pop
            for (int nop = FRAME_OFFSET + 1; nop < LENGTH; nop++) {
                out.writeByte(0x00);
            }
            out.write(cf, code, codeLength);
            int exceptions = code + codeLength;
            int handlers = u2(cf, exceptions);
            out.writeShort(handlers);
            for (int i = 0; i < handlers; i++) {
                int entry = exceptions + 2 + 8 * i;
                out.writeShort(u2(cf, entry) + LENGTH);
                out.writeShort(u2(cf, entry + 2) + LENGTH);
                out.writeShort(u2(cf, entry + 4) + LENGTH);
                out.writeShort(u2(cf, entry + 6));
            }
            int attributes = exceptions + 2 + 8 * handlers;
            int count = u2(cf, attributes);
            int a = attributes + 2;
            boolean stackMap = false;
            ByteArrayOutputStream moved = new ByteArrayOutputStream();
            DataOutputStream attributeOut = new DataOutputStream(moved);
            for (int i = 0; i < count; i++) {
                int nameIndex = u2(cf, a);
                int length = u4(cf, a + 2);
                String name = pool.text(nameIndex);
                byte[] content = switch (name == null ? "" : name) {
                    case "StackMapTable" -> stackMapWithPrologue(cf, a + 6, pool.classEntry(hook.returnType()));
                    case "LineNumberTable" -> movedLineNumbers(cf, a + 6);
                    case "LocalVariableTable", "LocalVariableTypeTable" -> movedLocals(cf, a + 6);
                    default -> throw new IllegalStateException(hook.name().concat(" has a code attribute it cannot move: ")
                            .concat(String.valueOf(name)));
                };
                stackMap |= "StackMapTable".equals(name);
                attributeOut.writeShort(nameIndex);
                attributeOut.writeInt(content.length);
                attributeOut.write(content);
                a += 6 + length;
            }
            if (!stackMap) {
                count++;
                byte[] content = stackMapWithPrologue(null, 0, pool.classEntry(hook.returnType()));
                attributeOut.writeShort(pool.utf8("StackMapTable"));
                attributeOut.writeInt(content.length);
                attributeOut.write(content);
            }
            out.writeShort(count);
            moved.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DataOutputStream out = new DataOutputStream(sink);
        try {
            out.writeShort(u2(cf, at));
            out.writeInt(body.size());
            body.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@return the stack map at {@code at} (or none, if {@code cf} is null) with the prologue's
     * frame first}: the frames after it keep their deltas, except the first, which now counts from
     * the prologue's frame
     */
    private static byte[] stackMapWithPrologue(byte[] cf, int at, int returnTypeClass) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        int frames = cf == null ? 0 : u2(cf, at);
        out.writeShort(frames + 1);
        out.writeByte(SAME_LOCALS_1_STACK_ITEM + FRAME_OFFSET);
        out.writeByte(ITEM_OBJECT);
        out.writeShort(returnTypeClass);
        at += 2;
        for (int f = 0; f < frames; f++) {
            int type = cf[at++] & 0xff;
            int delta;
            if (type < SAME_LOCALS_1_STACK_ITEM) {
                delta = type;
            } else if (type < 128) {
                delta = type - SAME_LOCALS_1_STACK_ITEM;
            } else if (type >= SAME_LOCALS_1_STACK_ITEM_EXTENDED) {
                delta = u2(cf, at);
                at += 2;
            } else {
                throw new ClassFormatError("reserved stack map frame type");
            }
            if (f == 0) {
                delta += LENGTH - FRAME_OFFSET - 1;   // from the prologue's frame, not from the start
            }
            if (type < SAME_LOCALS_1_STACK_ITEM || type == SAME_FRAME_EXTENDED) {
                writeFrameHead(out, delta, 0, SAME_FRAME_EXTENDED);
            } else if (type < 128 || type == SAME_LOCALS_1_STACK_ITEM_EXTENDED) {
                writeFrameHead(out, delta, SAME_LOCALS_1_STACK_ITEM, SAME_LOCALS_1_STACK_ITEM_EXTENDED);
                at = copyType(cf, at, out);
            } else if (type < SAME_FRAME_EXTENDED) {                     // chop
                out.writeByte(type);
                out.writeShort(delta);
            } else if (type < FULL_FRAME) {                              // append
                out.writeByte(type);
                out.writeShort(delta);
                for (int i = 0; i < type - SAME_FRAME_EXTENDED; i++) {
                    at = copyType(cf, at, out);
                }
            } else {
                out.writeByte(type);
                out.writeShort(delta);
                for (int list = 0; list < 2; list++) {                   // locals, then stack
                    int items = u2(cf, at);
                    at += 2;
                    out.writeShort(items);
                    for (int i = 0; i < items; i++) {
                        at = copyType(cf, at, out);
                    }
                }
            }
        }
        return bytes.toByteArray();
    }

    /** A frame with no items of its own, or one stack item, in its short form if the delta fits. */
    private static void writeFrameHead(DataOutputStream out, int delta, int shortBase, int extendedType)
            throws IOException {
        if (delta < 64) {
            out.writeByte(shortBase + delta);
        } else {
            out.writeByte(extendedType);
            out.writeShort(delta);
        }
    }

    /** Copies one verification type, moving an uninitialized object's {@code new} offset. */
    private static int copyType(byte[] cf, int at, DataOutputStream out) throws IOException {
        int tag = cf[at] & 0xff;
        out.writeByte(tag);
        if (tag == ITEM_OBJECT) {
            out.writeShort(u2(cf, at + 1));
            return at + 3;
        }
        if (tag == ITEM_UNINITIALIZED) {
            out.writeShort(u2(cf, at + 1) + LENGTH);
            return at + 3;
        }
        return at + 1;
    }

    /** The prologue takes the method's first line; every other entry moves with its code. */
    private static byte[] movedLineNumbers(byte[] cf, int at) throws IOException {
        int entries = u2(cf, at);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        int first = -1;
        int firstPc = Integer.MAX_VALUE;
        for (int i = 0; i < entries; i++) {
            int pc = u2(cf, at + 2 + 4 * i);
            if (pc < firstPc) {
                firstPc = pc;
                first = u2(cf, at + 4 + 4 * i);
            }
        }
        out.writeShort(entries == 0 ? 0 : entries + 1);
        if (entries > 0) {
            out.writeShort(0);
            out.writeShort(first);
        }
        for (int i = 0; i < entries; i++) {
            out.writeShort(u2(cf, at + 2 + 4 * i) + LENGTH);
            out.writeShort(u2(cf, at + 4 + 4 * i));
        }
        return bytes.toByteArray();
    }

    /** A local in scope from the start stays so, over the prologue too; the others move. */
    private static byte[] movedLocals(byte[] cf, int at) throws IOException {
        int entries = u2(cf, at);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(entries);
        for (int i = 0; i < entries; i++) {
            int entry = at + 2 + 10 * i;
            int start = u2(cf, entry);
            int length = u2(cf, entry + 2);
            out.writeShort(start == 0 ? 0 : start + LENGTH);
            out.writeShort(start == 0 ? length + LENGTH : length);
            out.write(cf, entry + 4, 6);
        }
        return bytes.toByteArray();
    }
}
