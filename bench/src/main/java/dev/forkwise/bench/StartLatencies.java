package dev.forkwise.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The distribution behind a single-thread throughput figure: {@code n} sequential
 * start-and-waits of {@code /bin/true} by one contender ({@code forkwise}, {@code processBuilder}
 * or {@code nuProcess}), then the mean, median, 90th and 99th percentile and maximum, in
 * milliseconds. JMH's throughput is the inverse of the mean; a bimodal latency (most starts fast,
 * some waiting for a poll interval) makes the two tell different stories.
 * Usage: {@code java -cp benchmarks.jar dev.forkwise.bench.StartLatencies nuProcess 200}
 */
public final class StartLatencies {

    private StartLatencies() {
    }

    public static void main(String[] args) throws Exception {
        String contender = args[0];
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        List<String> command = List.of("/bin/true");
        for (int i = 0; i < 20; i++) {
            once(contender, command);   // warm-up
        }
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            once(contender, command);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        System.out.printf("%s, %d starts: mean %.2f ms (%.0f starts/s), median %.2f, p90 %.2f, p99 %.2f, max %.2f ms%n",
                contender, n, mean, 1000 / mean, at(nanos, 0.5), at(nanos, 0.9), at(nanos, 0.99), nanos[n - 1] / 1e6);
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))] / 1e6;
    }

    private static void once(String contender, List<String> command) throws Exception {
        int status = switch (contender) {
            case "forkwise" -> StartAndWait.forkwise(new ProcessBuilder(command));
            case "processBuilder" -> StartAndWait.processBuilder(new ProcessBuilder(command));
            case "nuProcess" -> StartAndWait.nuProcess(command);
            default -> throw new IllegalArgumentException(contender);
        };
        if (status != 0) {
            throw new IllegalStateException(contender + ": exit status " + status);
        }
    }
}
