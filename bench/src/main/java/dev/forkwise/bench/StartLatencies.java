package dev.forkwise.bench;

import dev.forkwise.Spawner;

import java.util.Arrays;
import java.util.List;

/**
 * The distribution behind a single-thread throughput figure: {@code n} sequential
 * start-and-waits of {@code /bin/true} by one contender ({@code forkwise}, {@code processBuilder}
 * or {@code nuProcess}), then the mean, median, 90th and 99th percentile and maximum, in
 * milliseconds. JMH's throughput is the inverse of the mean; a bimodal latency (most starts fast,
 * some waiting for a poll interval) makes the two tell different stories.
 *
 * <p>For {@code forkwise} and {@code processBuilder} it also splits the slowest 1% of starts, and
 * those around the median, into the time {@code start()} took and the time {@code waitFor()} took:
 * where the tail lies. An optional third argument is the number of warm-up starts (default 20;
 * the JIT needs about 2,000 on 2 cores to settle).
 * Usage: {@code java -cp benchmarks.jar dev.forkwise.bench.StartLatencies nuProcess 200 [warm-up]}
 */
public final class StartLatencies {

    private StartLatencies() {
    }

    public static void main(String[] args) throws Exception {
        String contender = args[0];
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        List<String> command = List.of("/bin/true");
        for (int i = 0; i < warmUp; i++) {
            once(contender, command, null);
        }
        long[] nanos = new long[n];
        long[][] split = new long[n][2];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            once(contender, command, split[i]);
            nanos[i] = System.nanoTime() - start;
        }
        if (!contender.equals("nuProcess")) {
            printSplit(nanos, split);
        }
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        System.out.printf("%s, %d starts: mean %.2f ms (%.0f starts/s), median %.2f, p90 %.2f, p99 %.2f, max %.2f ms%n",
                contender, n, mean, 1000 / mean, at(nanos, 0.5), at(nanos, 0.9), at(nanos, 0.99), nanos[n - 1] / 1e6);
    }

    /** Prints the mean start() and waitFor() times of the slowest 1% of starts and of the 1% around the median. */
    private static void printSplit(long[] nanos, long[][] split) {
        Integer[] order = new Integer[nanos.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Long.compare(nanos[a], nanos[b]));
        int k = Math.max(1, nanos.length / 100);
        int median = nanos.length / 2;
        System.out.printf("slowest 1%%: start() %.2f ms + waitFor() %.2f ms; around the median: start() %.2f ms + waitFor() %.2f ms%n",
                mean(split, order, nanos.length - k, k, 0), mean(split, order, nanos.length - k, k, 1),
                mean(split, order, Math.max(0, median - k / 2), k, 0), mean(split, order, Math.max(0, median - k / 2), k, 1));
    }

    private static double mean(long[][] split, Integer[] order, int from, int count, int part) {
        long sum = 0;
        for (int i = from; i < from + count; i++) {
            sum += split[order[i]][part];
        }
        return sum / 1e6 / count;
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))] / 1e6;
    }

    /** One start-and-wait; {@code split}, if not null, gets the nanoseconds of start() and of waitFor(). */
    private static void once(String contender, List<String> command, long[] split) throws Exception {
        if (contender.equals("nuProcess")) {
            check(contender, StartAndWait.nuProcess(command));
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        long start = System.nanoTime();
        Process process = switch (contender) {
            case "forkwise" -> Spawner.start(builder);
            case "processBuilder" -> builder.start();
            default -> throw new IllegalArgumentException(contender);
        };
        long started = System.nanoTime();
        int status = process.waitFor();
        if (split != null) {
            split[0] = started - start;
            split[1] = System.nanoTime() - started;
        }
        check(contender, status);
    }

    private static void check(String contender, int status) {
        if (status != 0) {
            throw new IllegalStateException(contender + ": exit status " + status);
        }
    }
}
