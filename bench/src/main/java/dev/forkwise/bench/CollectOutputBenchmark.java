package dev.forkwise.bench;

import dev.forkwise.ProcessResult;
import dev.forkwise.Spawner;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Collecting the stdout and stderr of 100 small children started at once: forkwise's async API
 * ({@code Spawner.run}, no thread per stream) against the usual {@code ProcessBuilder} code, which
 * needs a reader thread per stream (here a cached pool, reused across iterations, as a long-lived
 * service would have) to avoid the pipe deadlock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CollectOutputBenchmark {

    static final int CHILDREN = 100;

    private ExecutorService readers;

    @Setup(Level.Trial)
    public void startReaders() {
        readers = Executors.newCachedThreadPool();
    }

    @TearDown(Level.Trial)
    public void stopReaders() {
        readers.shutdownNow();
    }

    private static ProcessBuilder child(int i) {
        return new ProcessBuilder("sh", "-c", "echo out $1; echo err $1 >&2", "sh", Integer.toString(i));
    }

    @Benchmark
    public long forkwiseRun() throws IOException {
        List<CompletableFuture<ProcessResult>> results = new ArrayList<>(CHILDREN);
        for (int i = 0; i < CHILDREN; i++) {
            results.add(Spawner.run(child(i)));
        }
        long bytes = 0;
        for (CompletableFuture<ProcessResult> result : results) {
            ProcessResult done = result.join();
            bytes += done.stdout().length + done.stderr().length;
        }
        return bytes;
    }

    @Benchmark
    public long processBuilderWithReaderThreads() throws IOException, InterruptedException {
        List<Process> processes = new ArrayList<>(CHILDREN);
        List<CompletableFuture<byte[]>> outputs = new ArrayList<>(2 * CHILDREN);
        for (int i = 0; i < CHILDREN; i++) {
            Process process = child(i).start();
            process.getOutputStream().close();
            processes.add(process);
            outputs.add(CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()), readers));
            outputs.add(CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), readers));
        }
        long bytes = 0;
        for (CompletableFuture<byte[]> output : outputs) {
            bytes += output.join().length;
        }
        for (Process process : processes) {
            process.waitFor();
        }
        return bytes;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
