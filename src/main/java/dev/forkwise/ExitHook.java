package dev.forkwise;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one shutdown hook behind {@link SpawnOptions#destroyOnExit()}: a set of the children still
 * running, each removed by the watcher when it exits, and a hook, registered with the first child,
 * that destroys whoever is left. No thread runs until the JVM shuts down.
 */
final class ExitHook {

    private ExitHook() {
    }

    /** The hook is registered when this holder is first used: once, and only if some child asks. */
    private static final class Registered {
        static final Set<ChildProcess> RUNNING = ConcurrentHashMap.newKeySet();

        static {
            try {
                Runtime.getRuntime().addShutdownHook(
                        Thread.ofPlatform().name("forkwise-destroy-on-exit").unstarted(Registered::destroyAll));
            } catch (IllegalStateException shuttingDown) {
                // a child started while the JVM shuts down: hooks have run or are running, none can be added
            }
        }

        private static void destroyAll() {
            for (ChildProcess child : RUNNING) {
                try {
                    child.destroyTree();
                } catch (RuntimeException e) {
                    // one child's failure must not spare the others
                }
            }
        }
    }

    /** Holds {@code child} until it exits; a child that has exited already is let go at once. */
    static void register(ChildProcess child) {
        Registered.RUNNING.add(child);
        child.whenExited(() -> Registered.RUNNING.remove(child));
    }
}
