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
 * Start {@code /bin/true} and wait for it, as fast as possible: throughput in starts per second.
 * {@code ProcessBuilder}'s default redirects (three pipes) for every contender. Run with
 * {@code -t 1}, {@code -t 4}, {@code -t 20} for the thread counts ({@code Suite} does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class StartAndWaitBenchmark {

    private static final List<String> TRUE = List.of("/bin/true");

    @Benchmark
    public int forkwise() throws IOException, InterruptedException {
        return StartAndWait.forkwise(new ProcessBuilder(TRUE));
    }

    @Benchmark
    public int processBuilder() throws IOException, InterruptedException {
        return StartAndWait.processBuilder(new ProcessBuilder(TRUE));
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Djdk.lang.Process.launchMechanism=FORK"})
    public int processBuilderFork() throws IOException, InterruptedException {
        return StartAndWait.processBuilder(new ProcessBuilder(TRUE));
    }

    @Benchmark
    public int nuProcess() throws InterruptedException {
        return StartAndWait.nuProcess(TRUE);
    }
}
