package dev.forkwise.bench;

import dev.forkwise.Spawner;
import dev.forkwise.bindings.Libc;

import java.io.IOException;

/**
 * A whole program that starts one {@code /bin/true} and waits for it: {@code forkwise} or
 * {@code processBuilder} as the argument; or, with {@code firstDowncall}, makes forkwise's first
 * call into C and starts nothing (the floor, see {@link #firstDowncall()}); with {@code idle},
 * does nothing at all, and with {@code loadClasses} loads about 1,900 classes
 * ({@code bench/agentstart.sh}'s JVMs that never start a process).
 * {@code bench/coldstart.sh} times whole {@code java} runs
 * of it; with a second argument {@code print} it also prints the first start's own time, in
 * milliseconds, measured inside the JVM.
 */
public final class StartOne {

    private StartOne() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int status = switch (args[0]) {
            case "forkwise" -> Spawner.start(new ProcessBuilder("/bin/true")).waitFor();
            case "processBuilder" -> new ProcessBuilder("/bin/true").start().waitFor();
            case "firstDowncall" -> firstDowncall();
            case "idle" -> 0;   // starts nothing
            case "loadClasses" -> loadClasses();
            default -> throw new IllegalArgumentException("forkwise, processBuilder, firstDowncall or idle: " + args[0]);
        };
        long nanos = System.nanoTime() - start;
        if (status != 0) {
            throw new IllegalStateException(args[0] + " ended with " + status);
        }
        if (args.length > 1) {
            System.out.println(nanos / 1_000_000.0);
        }
    }

    /**
     * Loads, without initialising, every class of {@code javax.swing} (about 1,900): a JVM that
     * loads classes as a large application does, and starts nothing. An agent that leaves a
     * class-file transformer registered makes each of these loads slower.
     *
     * @return 0
     */
    static int loadClasses() throws IOException {
        java.nio.file.FileSystem jrt = java.nio.file.FileSystems.getFileSystem(java.net.URI.create("jrt:/"));
        java.nio.file.Path root = jrt.getPath("/modules/java.desktop");
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root.resolve("javax/swing"))) {
            for (java.nio.file.Path file : (Iterable<java.nio.file.Path>) files::iterator) {
                String name = root.relativize(file).toString();
                if (name.endsWith(".class")) {
                    try {
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, null);
                    } catch (ClassNotFoundException | LinkageError e) {
                        // a class this JDK cannot load without a display: not the point here
                    }
                }
            }
        }
        return 0;
    }

    /**
     * The first call into C through forkwise's bindings, {@code close(-1)}: the JDK's linker, one
     * generated stub, the bindings' class initialisation and nothing else, which every start in a
     * fresh JVM pays before its own work.
     *
     * @return 0 when {@code close} failed, as it must for descriptor -1
     */
    static int firstDowncall() {
        return Libc.close(-1) < 0 ? 0 : 1;
    }
}
