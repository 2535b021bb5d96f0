package dev.forkwise.support;

import dev.forkwise.Mechanism;
import dev.forkwise.Spawner;

/**
 * A fresh JVM's program for {@code NativeAccessTest}: prints the launch mechanism and fallback
 * reason forkwise chose there, then the exit value of {@code true} started with it. It lives
 * outside the library's packages, so it loads from the class path while the library is a module.
 */
public final class MechanismProbe {

    private MechanismProbe() {
    }

    /** Prints {@code launch=...}, {@code fallbackReason=...} and {@code true exits N}; ignores its arguments. */
    public static void main(String[] args) throws Exception {
        Mechanism mechanism = Spawner.mechanism();
        System.out.println("launch=" + mechanism.launch() + "\nfallbackReason=" + mechanism.fallbackReason().orElse("none"));
        System.out.println("true exits " + Spawner.start(new ProcessBuilder("true")).waitFor());
    }
}
