package dev.forkwise.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * Reading 64 MiB from a child through {@code getInputStream()} with 64 KiB reads: forkwise's
 * non-blocking pipe (a critical {@code read(2)} straight into the Java array, parking on the event
 * loop when the pipe is empty) against {@code ProcessBuilder}'s {@code FileInputStream} behind a
 * {@code BufferedInputStream}. The child is {@code head -c 64M /dev/zero}; the time includes its
 * start and exit, the same for both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PipeThroughputBenchmark {

    static final long SIZE = 64L << 20;

    @Param({"FORKWISE", "PROCESS_BUILDER"})
    public Contender contender;

    private final byte[] buffer = new byte[64 * 1024];

    @Benchmark
    public long read64MiB() throws IOException, InterruptedException {
        Process child = contender.start(new ProcessBuilder("head", "-c", Long.toString(SIZE), "/dev/zero"));
        long total = 0;
        try (InputStream in = child.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        }
        if (child.waitFor() != 0 || total != SIZE) {
            throw new IllegalStateException("read " + total + " bytes, exit " + child.exitValue());
        }
        return total;
    }
}
