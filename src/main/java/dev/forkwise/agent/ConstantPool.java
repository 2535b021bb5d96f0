package dev.forkwise.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A class file's constant pool, read far enough to be skipped and appended to: the entries of the
 * class as it came are kept byte for byte, and new ones go after them, so that every index in the
 * rest of the class stays valid. Only the kinds of entry a prologue needs can be added.
 *
 * <p>Like all of this package's code that runs at JVM start-up, it uses no lambda and no string
 * concatenation: both are linked through {@code invokedynamic}, whose first use costs a JVM
 * several milliseconds that a JVM with the agent must not pay.
 */
final class ConstantPool {

    private static final int UTF8 = 1;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int METHOD_TYPE = 16;
    private static final int FIELD_REF = 9;
    private static final int METHOD_REF = 10;
    private static final int NAME_AND_TYPE = 12;

    private final byte[] original;
    private final int originalCount;
    private final ByteArrayOutputStream addedBytes = new ByteArrayOutputStream();
    private final DataOutputStream added = new DataOutputStream(addedBytes);
    private final Map<String, Integer> utf8s = new HashMap<>();
    private final Map<String, Integer> classes = new HashMap<>();
    private int count;

    private final int[] offsets;
    private final byte[] classFile;

    private ConstantPool(byte[] original, int originalCount, int[] offsets, byte[] classFile) {
        this.original = original;
        this.originalCount = originalCount;
        this.count = originalCount;
        this.offsets = offsets;
        this.classFile = classFile;
    }

    /**
     * Reads the pool of {@code classFile}, which starts at byte 8 (after magic and version).
     *
     * @throws ClassFormatError if an entry's kind is unknown
     */
    static ConstantPool read(byte[] classFile) {
        int count = u2(classFile, 8);
        int[] offsets = new int[count];
        int at = 10;
        for (int index = 1; index < count; index++) {
            offsets[index] = at;
            int tag = classFile[at] & 0xff;
            at += switch (tag) {
                case UTF8 -> 3 + u2(classFile, at + 1);
                case 3, 4 -> 5;                       // Integer, Float
                case 5, 6 -> 9;                       // Long, Double: two slots
                case CLASS, 8, 16, 19, 20 -> 3;       // Class, String, MethodType, Module, Package
                case FIELD_REF, METHOD_REF, 11, NAME_AND_TYPE, 17, 18 -> 5;
                case 15 -> 4;                         // MethodHandle
                default -> throw new ClassFormatError("unknown constant pool tag");
            };
            if (tag == 5 || tag == 6) {
                index++;
            }
        }
        byte[] entries = new byte[at - 10];
        System.arraycopy(classFile, 10, entries, 0, entries.length);
        return new ConstantPool(entries, count, offsets, classFile);
    }

    /** {@return the offset in the class file of the first byte after the pool as it came} */
    int end() {
        return 10 + original.length;
    }

    /** {@return the text of the original {@code CONSTANT_Utf8} entry at {@code index}, or null if it is another kind} */
    String text(int index) {
        if (index <= 0 || index >= originalCount || (classFile[offsets[index]] & 0xff) != UTF8) {
            return null;
        }
        int at = offsets[index];
        try {
            return new DataInputStream(new ByteArrayInputStream(classFile, at + 1, 2 + u2(classFile, at + 1))).readUTF();
        } catch (IOException e) {
            throw new ClassFormatError(e.getMessage());
        }
    }

    /** {@return the index of a {@code CONSTANT_Utf8} entry for {@code text}} */
    int utf8(String text) {
        Integer known = utf8s.get(text);
        if (known != null) {
            return known;
        }
        try {
            added.writeByte(UTF8);
            added.writeUTF(text);   // modified UTF-8, as class files have it
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a ByteArrayOutputStream does not fail
        }
        int index = count++;
        utf8s.put(text, index);
        return index;
    }

    /** {@return the index of a {@code CONSTANT_Class} entry for the internal name {@code name}} */
    int classEntry(String name) {
        Integer known = classes.get(name);
        if (known != null) {
            return known;
        }
        int index = addPair(CLASS, utf8(name), -1);
        classes.put(name, index);
        return index;
    }

    /** {@return the index of a new {@code CONSTANT_String} entry for {@code text}} */
    int string(String text) {
        return addPair(STRING, utf8(text), -1);
    }

    /** {@return the index of a new {@code CONSTANT_MethodType} entry for {@code descriptor}} */
    int methodType(String descriptor) {
        return addPair(METHOD_TYPE, utf8(descriptor), -1);
    }

    /** {@return the index of a new {@code CONSTANT_Methodref} entry} */
    int methodRef(String owner, String name, String descriptor) {
        return addPair(METHOD_REF, classEntry(owner), addPair(NAME_AND_TYPE, utf8(name), utf8(descriptor)));
    }

    /** Appends an entry of {@code tag} with one or two {@code u2} indexes ({@code second} -1 for one). */
    private int addPair(int tag, int first, int second) {
        try {
            added.writeByte(tag);
            added.writeShort(first);
            if (second >= 0) {
                added.writeShort(second);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count++;
    }

    /** Writes {@code constant_pool_count} and every entry, the original ones first. */
    void writeTo(DataOutputStream out) throws IOException {
        if (count > 0xffff) {
            throw new IllegalStateException("constant pool too large");
        }
        out.writeShort(count);
        out.write(original);
        addedBytes.writeTo(out);
    }

    static int u2(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff;
    }

    static int u4(byte[] bytes, int at) {
        return u2(bytes, at) << 16 | u2(bytes, at + 2);
    }

}
