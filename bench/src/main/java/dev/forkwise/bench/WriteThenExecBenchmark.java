package dev.forkwise.bench;

import dev.forkwise.support.WriteThenExec;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The workload of design.md §1 at 20 threads: each writes {@code #!/bin/sh\nexit 0\n} to its own
 * file with {@code FileOutputStream}, makes it executable, starts it and waits. The primary score
 * is completed starts per second; the {@code busy} counter is the starts that failed with
 * {@code ETXTBSY}, {@code failed} those that failed otherwise.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(20)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class WriteThenExecBenchmark {

    private static final byte[] SCRIPT = "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.US_ASCII);

    /** Each thread's own script file. */
    @State(Scope.Thread)
    public static class Script {
        Path file;

        @Setup(Level.Trial)
        public void create() throws IOException {
            file = Files.createTempFile("forkwise-bench", ".sh");
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            Files.deleteIfExists(file);
        }

        /** Writes the script afresh and makes it executable. */
        void writeQuietly() {
            try {
                write();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private void write() throws IOException {
            Files.deleteIfExists(file);
            try (FileOutputStream out = new FileOutputStream(file.toFile())) {
                out.write(SCRIPT);
            }
            if (!file.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + file + " executable");
            }
        }
    }

    /** Failed starts, reported beside the throughput. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Failures {
        public long busy;
        public long failed;

        @Setup(Level.Iteration)
        public void reset() {
            busy = 0;
            failed = 0;
        }

        void count(IOException e) {
            if (WriteThenExec.isTextFileBusy(e)) {
                busy++;
            } else {
                failed++;
            }
        }
    }

    @Benchmark
    public void forkwise(Script script, Failures failures) throws InterruptedException {
        script.writeQuietly();
        try {
            StartAndWait.forkwise(new ProcessBuilder(script.file.toString()));
        } catch (IOException e) {
            failures.count(e);
        }
    }

    @Benchmark
    public void processBuilder(Script script, Failures failures) throws InterruptedException {
        script.writeQuietly();
        try {
            StartAndWait.processBuilder(new ProcessBuilder(script.file.toString()));
        } catch (IOException e) {
            failures.count(e);
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Djdk.lang.Process.launchMechanism=FORK"})
    public void processBuilderFork(Script script, Failures failures) throws InterruptedException {
        processBuilder(script, failures);
    }

    /** NuProcess reports a failed start only as exit value {@code Integer.MIN_VALUE}: counted as {@code failed}. */
    @Benchmark
    public void nuProcess(Script script, Failures failures) throws InterruptedException {
        script.writeQuietly();
        if (StartAndWait.nuProcess(List.of(script.file.toString())) == Integer.MIN_VALUE) {
            failures.failed++;
        }
    }
}
