package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A child's environment block, with the bytes {@code ProcessBuilder} would pass: an entry the
 * program did not change keeps the bytes this process's {@code environ} has for it, even where
 * they do not decode in {@code sun.jnu.encoding} (a Java string would turn them into U+FFFD, or
 * {@code ?} once encoded again); only an entry whose Java text differs from the decoded original
 * is encoded from its string.
 *
 * <p>The originals are read from {@code environ} at each start, so the block reflects the
 * environment at that moment. An entry set to exactly the decoded text of the original (which
 * {@code ProcessBuilder} would encode anew) is indistinguishable here and keeps the original bytes.
 */
final class EnvironmentBlock {

    private EnvironmentBlock() {
    }

    /** {@return the {@code char *envp[]} for {@code entries}, {@code name=value} strings, in {@code arena}} */
    static MemorySegment of(Arena arena, List<String> entries) {
        Map<String, byte[]> originals = originals();
        byte[][] encoded = new byte[entries.size()][];
        for (int i = 0; i < encoded.length; i++) {
            String entry = entries.get(i);
            byte[] original = originals.get(entry);
            encoded[i] = original != null ? original : entry.getBytes(CStrings.ENCODING);
        }
        return CStrings.vector(arena, encoded);
    }

    /** {@return this process's {@code environ} entries, by their decoded text} */
    private static Map<String, byte[]> originals() {
        Map<String, byte[]> originals = new HashMap<>();
        for (byte[] bytes : Libc.environEntries()) {
            originals.putIfAbsent(new String(bytes, CStrings.ENCODING), bytes);
        }
        return originals;
    }
}
