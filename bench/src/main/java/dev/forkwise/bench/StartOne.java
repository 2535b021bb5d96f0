package dev.forkwise.bench;

import dev.forkwise.Spawner;
import dev.forkwise.bindings.Libc;

import java.io.IOException;

/**
 * A whole program that starts one {@code /bin/true} and waits for it: {@code forkwise} or
 * {@code processBuilder} as the argument; or, with {@code firstDowncall}, makes forkwise's first
 * call into C and starts nothing (the floor, see {@link #firstDowncall()}); with {@code idle},
 * does nothing at all ({@code bench/agentstart.sh}'s JVM that never starts a process).
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
            case "idle" -> 0;   // starts nothing, and does not even load ProcessBuilder
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
