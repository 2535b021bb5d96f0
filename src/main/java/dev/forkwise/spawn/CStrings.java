package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.Charset;
import java.util.List;

/**
 * Java strings as the C strings and string vectors {@code posix_spawn} takes, encoded the way
 * {@code ProcessBuilder} encodes them: in the platform's file-name encoding ({@code sun.jnu.encoding}).
 */
final class CStrings {

    /** The charset {@code ProcessBuilder} uses for program, arguments and environment. */
    static final Charset ENCODING =
            Charset.forName(System.getProperty("sun.jnu.encoding"), Charset.defaultCharset());

    private CStrings() {
    }

    /** {@return {@code s} as a NUL-terminated C string in {@code arena}} */
    static MemorySegment of(Arena arena, String s) {
        byte[] bytes = s.getBytes(ENCODING);
        MemorySegment segment = arena.allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    /** {@return a NULL-terminated {@code char *[]} of {@code strings}, all in one block of {@code arena}} */
    static MemorySegment vector(Arena arena, List<String> strings) {
        byte[][] encoded = new byte[strings.size()][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = strings.get(i).getBytes(ENCODING);
        }
        return vector(arena, encoded);
    }

    /** {@return a NULL-terminated {@code char *[]} of the C strings {@code encoded}, without their NULs} */
    static MemorySegment vector(Arena arena, byte[][] encoded) {
        long total = 0;
        for (byte[] string : encoded) {
            total += string.length + 1;
        }
        MemorySegment text = arena.allocate(Math.max(total, 1));
        MemorySegment vector = arena.allocate(ValueLayout.ADDRESS, encoded.length + 1L);
        long offset = 0;
        for (int i = 0; i < encoded.length; i++) {
            MemorySegment.copy(encoded[i], 0, text, ValueLayout.JAVA_BYTE, offset, encoded[i].length);
            vector.set(Libc.POINTER_AS_LONG, i * Libc.POINTER_AS_LONG.byteSize(), text.address() + offset);
            offset += encoded[i].length + 1;   // the allocation is zeroed: the NUL is already there
        }
        vector.set(Libc.POINTER_AS_LONG, encoded.length * Libc.POINTER_AS_LONG.byteSize(), 0L);
        return vector;
    }
}
