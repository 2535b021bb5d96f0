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
 * The first start in a fresh JVM: one {@code Spawner.start(...).waitFor()} (or
 * {@code ProcessBuilder.start().waitFor()}) of {@code /bin/true}, once per fork, no warm-up, each
 * fork a new JVM; the score is the mean over the forks. The JVM has JMH's own harness loaded, so
 * this is a little warmer than a program's first start (see {@code bench/coldstart.sh} for whole
 * {@code java} runs).
 *
 * <p>{@code firstDowncall} is the floor under forkwise's figure: the first call into C through
 * forkwise's bindings ({@code close(-1)}), which pays for the JDK's linker, one generated stub and
 * the bindings' class initialisation, and starts nothing. No design built on
 * {@code java.lang.foreign} can start a process for less.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = 1)
@Fork(value = 20, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ColdStartBenchmark {

    private static final List<String> TRUE = List.of("/bin/true");

    @Benchmark
    public int forkwise() throws IOException, InterruptedException {
        return StartAndWait.forkwise(new ProcessBuilder(TRUE));
    }

    @Benchmark
    public int firstDowncall() {
        return StartOne.firstDowncall();
    }

    @Benchmark
    public int processBuilder() throws IOException, InterruptedException {
        return StartAndWait.processBuilder(new ProcessBuilder(TRUE));
    }
}
