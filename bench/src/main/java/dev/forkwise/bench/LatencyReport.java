package dev.forkwise.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's start-and-wait latency distribution and allocation per start, from
 * {@link StartAndWaitLatencyBenchmark}'s {@code SampleTime} runs with the GC profiler and the C
 * floor's {@code latency} mode: their sections of {@code docs/benchmarks.md} and their targets.
 */
final class LatencyReport {

    /** Benchmark method name to the contender it measures, in the order of the tables. */
    private static final Map<String, String> CONTENDERS = new LinkedHashMap<>();

    static {
        CONTENDERS.put("forkwise", "forkwise");
        CONTENDERS.put("processBuilder", "ProcessBuilder (POSIX_SPAWN, the default)");
    }

    private static final String FLOOR = "C floor (same work)";

    /** One contender at one thread count: how many starts were timed, the median and the p99 in µs. */
    private record Distribution(long samples, double median, double p99) {
    }

    /** contender -> threads -> distribution */
    private final Map<String, Map<Integer, Distribution>> latency = new LinkedHashMap<>();
    /** contender method -> threads -> bytes allocated per start-and-wait */
    private final Map<String, Map<Integer, Double>> allocation = new LinkedHashMap<>();

    LatencyReport() {
        CONTENDERS.values().forEach(name -> latency.put(name, new TreeMap<>()));
        latency.put(FLOOR, new TreeMap<>());
        CONTENDERS.keySet().forEach(method -> allocation.put(method, new TreeMap<>()));
    }

    /** Records a {@code SampleTime} run of {@link StartAndWaitLatencyBenchmark} with {@code threads} threads. */
    void add(RunResult result, int threads) {
        String benchmark = result.getParams().getBenchmark();
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        Statistics statistics = result.getPrimaryResult().getStatistics();
        latency.get(CONTENDERS.get(method)).put(threads,
                new Distribution(statistics.getN(), statistics.getPercentile(50), statistics.getPercentile(99)));
        Result<?> bytes = result.getSecondaryResults().get("gc.alloc.rate.norm");
        if (bytes != null) {
            allocation.get(method).put(threads, bytes.getScore());
        }
    }

    /** Records the C floor's latency at {@code threads} threads, in µs. */
    void addFloor(int threads, double median, double p99) {
        latency.get(FLOOR).put(threads, new Distribution(0, median, p99));
    }

    /** {@return the two sections, or nothing if neither was measured} */
    String markdown() {
        if (latency.values().stream().allMatch(Map::isEmpty)) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Start-and-wait latency\n\n");
        md.append("The time of one steady start-and-wait of `/bin/true` (three pipes, as above), from 1 and 20 threads: ")
                .append("JMH `SampleTime` for the Java contenders (`StartAndWaitLatencyBenchmark`, percentiles of the ")
                .append("sampled starts of all threads), and every start timed for the C floor doing the same work ")
                .append("(`startwait THREADS SECONDS pipes latency`), right after them. The target is p99 ≤ 2× median.\n\n");
        md.append("| contender | threads | samples | median (µs) | p99 (µs) | p99 / median |\n|---|---:|---:|---:|---:|---:|\n");
        for (int threads : Suite.LATENCY_THREADS) {
            latency.forEach((name, byThreads) -> {
                Distribution d = byThreads.get(threads);
                if (d != null) {
                    md.append("| ").append(name).append(" | ").append(threads).append(" | ")
                            .append(d.samples() == 0 ? "all" : String.format(Locale.ROOT, "%,d", d.samples()))
                            .append(" | ").append(number(d.median())).append(" | ").append(number(d.p99()))
                            .append(" | ").append(ratio(d.p99() / d.median())).append(" |\n");
                }
            });
        }
        if (allocation.values().stream().anyMatch(m -> !m.isEmpty())) {
            md.append("\n## Allocation per start\n\n");
            md.append("Bytes allocated on the Java heap per start-and-wait, by every thread of the benchmark JVM ")
                    .append("(the caller's, forkwise's event loop, the JDK's process reaper): JMH's GC profiler ")
                    .append("(`gc.alloc.rate.norm`) on the latency runs above.\n\n");
            md.append("| contender | threads | bytes per start |\n|---|---:|---:|\n");
            for (int threads : Suite.LATENCY_THREADS) {
                allocation.forEach((method, byThreads) -> {
                    Double bytes = byThreads.get(threads);
                    if (bytes != null) {
                        md.append("| ").append(CONTENDERS.get(method)).append(" | ").append(threads).append(" | ")
                                .append(String.format(Locale.ROOT, "%,.0f", bytes)).append(" |\n");
                    }
                });
            }
        }
        return md.toString();
    }

    /** {@return the target rows: forkwise's p99 within 2× its median at each thread count} */
    String targets() {
        StringBuilder md = new StringBuilder();
        for (int threads : Suite.LATENCY_THREADS) {
            Distribution forkwise = latency.get("forkwise").get(threads);
            if (forkwise == null) {
                continue;
            }
            double ratio = forkwise.p99() / forkwise.median();
            Distribution floor = latency.get(FLOOR).get(threads);
            md.append("| steady start-and-wait p99 ≤ 2× median, ").append(threads)
                    .append(threads == 1 ? " thread" : " threads").append(" | ").append(ratio(ratio))
                    .append(floor == null ? "" : " (C floor: " + ratio(floor.p99() / floor.median()) + ")")
                    .append(" | ").append(ratio <= 2 ? "yes" : "no").append(" |\n");
        }
        return md.toString();
    }

    private static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : "%.1f", value);
    }
}
