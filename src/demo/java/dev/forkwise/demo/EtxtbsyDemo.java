package dev.forkwise.demo;

import dev.forkwise.Spawner;
import dev.forkwise.support.WriteThenExec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Shows the ETXTBSY race and its fix: runs the write-then-exec workload once with
 * {@code ProcessBuilder.start()} and once with {@code Spawner.start()}, and prints one table.
 *
 * <p>Usage: {@code EtxtbsyDemo [threads] [iterations per thread]}, default 20 and 100.
 */
public final class EtxtbsyDemo {

    private EtxtbsyDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args optional thread count and iterations per thread
     */
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        System.out.printf("forkwise: %s%n", Spawner.mechanism());
        System.out.printf("write-then-exec: %d threads x %d iterations, %d cores, Java %s%n%n",
                threads, iterations, Runtime.getRuntime().availableProcessors(), Runtime.version());

        WriteThenExec.Result jdk = inTemporaryDirectory(dir -> WriteThenExec.run(ProcessBuilder::start, threads, iterations, dir));
        WriteThenExec.Result forkwise = inTemporaryDirectory(dir -> WriteThenExec.run(Spawner::start, threads, iterations, dir));

        System.out.printf("%-24s %8s %9s %8s %10s%n", "spawner", "starts", "ETXTBSY", "other", "starts/s");
        print("ProcessBuilder.start()", jdk);
        print("Spawner.start()", forkwise);
    }

    private static void print(String name, WriteThenExec.Result result) {
        System.out.printf("%-24s %8d %9d %8d %10.0f%n", name, result.starts(), result.busy(),
                result.otherFailures(), result.startsPerSecond());
    }

    private interface Run {
        WriteThenExec.Result in(Path directory) throws Exception;
    }

    private static WriteThenExec.Result inTemporaryDirectory(Run run) throws Exception {
        Path dir = Files.createTempDirectory("forkwise-demo");
        try {
            return run.in(dir);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
