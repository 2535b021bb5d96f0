package dev.forkwise.bench;

import dev.forkwise.Spawner;

import java.io.IOException;

/**
 * A whole program that starts one {@code /bin/true} and waits for it: {@code forkwise} or
 * {@code processBuilder} as the argument. {@code bench/coldstart.sh} times whole {@code java} runs
 * of it; with a second argument {@code print} it also prints the first start's own time, in
 * milliseconds, measured inside the JVM.
 */
public final class StartOne {

    private StartOne() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        boolean forkwise = args[0].equals("forkwise");
        ProcessBuilder builder = new ProcessBuilder("/bin/true");
        long start = System.nanoTime();
        int status = forkwise ? Spawner.start(builder).waitFor() : builder.start().waitFor();
        long nanos = System.nanoTime() - start;
        if (status != 0) {
            throw new IllegalStateException("/bin/true exited with " + status);
        }
        if (args.length > 1) {
            System.out.println(nanos / 1_000_000.0);
        }
    }
}
