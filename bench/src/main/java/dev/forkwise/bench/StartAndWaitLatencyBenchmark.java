package dev.forkwise.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The latency distribution of one steady start-and-wait of {@code /bin/true}: the work of
 * {@link StartAndWaitBenchmark}, timed one call at a time ({@code SampleTime}), so that JMH reports
 * the median and the 99th percentile ({@code p0.50}, {@code p0.99}) beside the mean. Run with
 * {@code -t 1} and {@code -t 20}, and with {@code -prof gc} for the bytes allocated per start
 * ({@code Suite} does both).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class StartAndWaitLatencyBenchmark {

    private static final List<String> TRUE = List.of("/bin/true");

    @Benchmark
    public int forkwise() throws IOException, InterruptedException {
        return StartAndWait.forkwise(new ProcessBuilder(TRUE));
    }

    @Benchmark
    public int processBuilder() throws IOException, InterruptedException {
        return StartAndWait.processBuilder(new ProcessBuilder(TRUE));
    }
}
