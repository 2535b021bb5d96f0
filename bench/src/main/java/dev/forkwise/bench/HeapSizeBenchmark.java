package dev.forkwise.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Start-and-wait latency in a small JVM (256 MiB heap) and in one whose 4 GiB heap is committed,
 * touched ({@code AlwaysPreTouch}) and three quarters full of live objects. A {@code CLONE_VFORK}
 * child shares the parent's memory, so its start should not care; a copying {@code fork} has to
 * copy the page tables of everything mapped.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HeapSizeBenchmark {

    private static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    private static final String SMALL = "-Xmx256m";
    private static final String FORK = "-Djdk.lang.Process.launchMechanism=FORK";

    /** Live data the heap keeps for the whole run, {@code forkwise.bench.liveMiB} of it. */
    private List<long[]> live;

    @Setup(Level.Trial)
    public void fillHeap() {
        int blocks = Integer.getInteger("forkwise.bench.liveMiB", 0) * 16;   // 64 KiB blocks: not humongous for G1
        live = new ArrayList<>(blocks);
        for (int i = 0; i < blocks; i++) {
            long[] block = new long[8 * 1024];
            for (int j = 0; j < block.length; j += 512) {
                block[j] = j;   // touch every page
            }
            live.add(block);
        }
    }

    private static ProcessBuilder child() {
        return new ProcessBuilder("/bin/true");
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE, SMALL})
    public int forkwiseSmallHeap() throws IOException, InterruptedException {
        return StartAndWait.forkwise(child());
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE, "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-Dforkwise.bench.liveMiB=3072"})
    public int forkwiseFilledHeap() throws IOException, InterruptedException {
        return StartAndWait.forkwise(child());
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE, SMALL})
    public int processBuilderSmallHeap() throws IOException, InterruptedException {
        return StartAndWait.processBuilder(child());
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE, "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-Dforkwise.bench.liveMiB=3072"})
    public int processBuilderFilledHeap() throws IOException, InterruptedException {
        return StartAndWait.processBuilder(child());
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE, SMALL, FORK})
    public int processBuilderForkSmallHeap() throws IOException, InterruptedException {
        return StartAndWait.processBuilder(child());
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE, "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-Dforkwise.bench.liveMiB=3072", FORK})
    public int processBuilderForkFilledHeap() throws IOException, InterruptedException {
        return StartAndWait.processBuilder(child());
    }
}
