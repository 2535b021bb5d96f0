package dev.forkwise.demo;

import dev.forkwise.Mechanism;
import dev.forkwise.Spawner;

/**
 * Prints how forkwise starts processes in this JVM, then starts {@code true} with it: a quick check
 * of a deployment's flags ({@code --enable-native-access}) and platform.
 */
public final class ShowMechanism {

    private ShowMechanism() {
    }

    /**
     * Prints the mechanism, the fallback reason if any, and the exit value of {@code true}.
     *
     * @param args ignored
     */
    public static void main(String[] args) throws Exception {
        Mechanism mechanism = Spawner.mechanism();
        System.out.println("launch=" + mechanism.launch());
        System.out.println("fallbackReason=" + mechanism.fallbackReason().orElse("none"));
        System.out.println("true exits " + Spawner.start(new ProcessBuilder("true")).waitFor());
    }
}
