package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether {@link PosixSpawn} can work in this JVM, decided once, with the reason kept when it
 * cannot.
 *
 * <p>It needs Linux, native access granted to the module that holds this class, and a C library
 * with {@code posix_spawn_file_actions_addclosefrom_np} (glibc 2.34) and
 * {@code posix_spawn_file_actions_addchdir_np} (glibc 2.29). Symbols are probed, never inferred
 * from version strings. Native access is checked before any binding is touched, so a JVM without
 * it never prints the JDK's restricted-method warning on forkwise's account. The answer is kept
 * only once it is permanent (see the {@linkplain dev.forkwise.spawn package essay}).
 */
public final class SpawnSupport {

    /** The system property that, set to {@code true}, makes forkwise delegate to {@code ProcessBuilder}. */
    public static final String FORCE_FALLBACK_PROPERTY = "dev.forkwise.forceFallback";

    private static final List<String> REQUIRED_SYMBOLS = List.of("posix_spawn",
            "posix_spawn_file_actions_addchdir_np", "posix_spawn_file_actions_addclosefrom_np");

    /** Null until decided; then empty, or the reason. */
    private static volatile Optional<String> unavailable;

    private SpawnSupport() {
    }

    /**
     * {@return why posix_spawn cannot be used here, or empty if it can}; decided by the first call
     * that gets a permanent answer
     *
     * @throws IOException if it cannot be decided now (the C library cannot be looked up, for
     *                     want of a descriptor); nothing is decided then
     */
    public static Optional<String> unavailableReason() throws IOException {
        Optional<String> known = unavailable;
        if (known == null) {
            synchronized (SpawnSupport.class) {
                known = unavailable;
                if (known == null) {
                    known = check();
                    unavailable = known;
                }
            }
        }
        return known;
    }

    /**
     * {@return how children are created, in words}: which call, which C library, and the
     * race-freedom measures. Only when available.
     *
     * @param pidfds whether children are requested with pidfds ({@link SpawnRequest#pidfd()}), which
     *               only where {@link Pidfds#supported()}
     */
    public static String launchDescription(boolean pidfds) {
        String call = !pidfds ? "posix_spawn"
                : Pidfds.spawnReturnsPidfd() ? "pidfd_spawn" : "posix_spawn + pidfd_open";
        return call + " (glibc " + forkwise_h.gnu_get_libc_version().getString(0) + ") with closefrom(3) and the ETXTBSY grace period";
    }

    /**
     * {@return why posix_spawn cannot be used here as far as is known without touching
     * {@code java.lang.foreign}, or empty}: forced fallback, the operating system, native access.
     * Cheap, and loads no binding, so that the agent can ask it while the JVM starts.
     */
    public static Optional<String> unavailableReasonWithoutProbing() {
        Optional<String> platform = unavailableReasonBesidesNativeAccess();
        return platform.isPresent() ? platform : nativeAccessUnavailableReason();
    }

    /** {@return why posix_spawn cannot be used here, native access aside and without probing, or empty} */
    public static Optional<String> unavailableReasonBesidesNativeAccess() {
        if (Boolean.getBoolean(FORCE_FALLBACK_PROPERTY)) {
            return Optional.of("forced by -D" + FORCE_FALLBACK_PROPERTY + "=true");
        }
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("posix_spawn with a closefrom file action needs Linux and glibc; this is " + os);
        }
        return Optional.empty();
    }

    /** {@return why this module may not call native code, with the flag that lets it, or empty} */
    public static Optional<String> nativeAccessUnavailableReason() {
        Module module = SpawnSupport.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            String flag = "--enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
            return Optional.of("native access is not enabled for " + module + "; run java with " + flag);
        }
        return Optional.empty();
    }

    private static Optional<String> check() throws IOException {
        Optional<String> known = unavailableReasonWithoutProbing();
        if (known.isPresent()) {
            return known;
        }
        if (ValueLayout.ADDRESS.byteSize() != Long.BYTES) {
            // The generated bindings, and Libc's sizes and offsets, are those of 64-bit Linux.
            return Optional.of("forkwise's C bindings are for 64-bit Linux; this JVM's pointers are "
                    + ValueLayout.ADDRESS.byteSize() * 8 + "-bit");
        }
        try {
            Libc.ensureCLibraryFound();   // so that a missing symbol is the C library's answer
            for (String symbol : REQUIRED_SYMBOLS) {
                if (!Libc.has(symbol)) {
                    return Optional.of("the C library has no " + symbol + " (needs glibc 2.34 or later)");
                }
            }
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("native access failed: " + e);
        }
        return Optional.empty();
    }
}
