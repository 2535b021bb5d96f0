package dev.forkwise.bench;

import dev.forkwise.Spawner;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the whole benchmark suite, the C floor beside it, and writes the JMH results as JSON and
 * {@code docs/benchmarks.md} with its chart.
 *
 * <p>Usage: {@code Suite quick|full RESULTS_JSON DOCS_DIR [C_FLOOR_BINARY]}; the race workload's C
 * program, {@code writeexec}, is looked for beside the C floor's binary. Quick mode (one
 * fork, two 2 s warm-ups and three 1 s iterations each) takes about five minutes on 2 cores; full
 * mode (two forks, three 2 s warm-ups, five 2 s iterations) about half an hour. The scale check
 * ({@link Scale}, not JMH) runs last in both modes, and takes as long as 10,000 starts take.
 */
public final class Suite {

    static final int[] THREADS = {1, 4, 20};
    /** The thread counts of the latency distribution and the allocation per start. */
    static final int[] LATENCY_THREADS = {1, 20};

    private final boolean full;
    private final List<RunResult> results = new ArrayList<>();

    private Suite(boolean full) {
        this.full = full;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !args[0].matches("quick|full")) {
            System.err.println("usage: Suite quick|full RESULTS_JSON DOCS_DIR [C_FLOOR_BINARY]");
            System.exit(2);
        }
        Suite suite = new Suite(args[0].equals("full"));
        Path json = Path.of(args[1]);
        Path docs = Path.of(args[2]);
        Path floorBinary = args.length > 3 ? Path.of(args[3]) : null;

        Report report = new Report(args[0], Machine.describe());
        CFloor floor = CFloor.of(floorBinary, suite.full ? 5 : 3, suite.full ? 4 : 2);
        for (int threads : THREADS) {
            for (RunResult result : suite.run("StartAndWaitBenchmark\\.\\w+$", threads)) {
                report.startAndWait(result, threads);
            }
            floor.measure(threads);   // right after the JMH runs it is compared with, on a machine in the same state
        }
        suite.latency(report, floorBinary);
        suite.run("WriteThenExecBenchmark\\.\\w+$", 0).forEach(report::writeThenExec);
        report.raceC(RaceC.measure(floorBinary, suite.full));   // right after the JMH run it is compared with
        suite.run("HeapSizeBenchmark\\.\\w+$", 0).forEach(report::heapSize);
        suite.run("ExitLatencyBenchmark\\.\\w+$", 0).forEach(report::other);
        suite.run("PipeThroughputBenchmark\\.\\w+$", 0).forEach(report::other);
        suite.run("CollectOutputBenchmark\\.\\w+$", 0).forEach(report::other);
        suite.runAsAnnotated("ColdStartBenchmark\\.\\w+$").forEach(report::coldStart);
        report.scale(Scale.measure());
        report.agentStart(AgentStart.measure(suite.full));

        report.floor(floor);

        Files.createDirectories(json.toAbsolutePath().getParent());
        ResultFormatFactory.getInstance(ResultFormatType.JSON, json.toString()).writeOut(suite.results);
        Files.createDirectories(docs);
        Files.writeString(docs.resolve("benchmarks.svg"), report.chart(), StandardCharsets.UTF_8);
        Files.writeString(docs.resolve("benchmarks.md"), report.markdown(json), StandardCharsets.UTF_8);
        System.out.println("wrote " + json + ", " + docs.resolve("benchmarks.md") + ", " + docs.resolve("benchmarks.svg"));
    }

    /**
     * The latency distribution of one start-and-wait (median, 99th percentile) and the bytes
     * allocated per start, for each contender and the C floor (same work), at each of
     * {@link #LATENCY_THREADS}: the JMH {@code SampleTime} runs carry the GC profiler, whose
     * {@code gc.alloc.rate.norm} counts the bytes of every thread of the benchmark JVM (the event
     * loop's and the JDK's reaper threads' too) per start.
     */
    private void latency(Report report, Path floorBinary) throws RunnerException, IOException, InterruptedException {
        CFloorLatency floor = new CFloorLatency(floorBinary, full ? 10 : 3);
        for (int threads : LATENCY_THREADS) {
            ChainedOptionsBuilder options = options("StartAndWaitLatencyBenchmark\\.\\w+$", threads)
                    .addProfiler(GCProfiler.class);
            List<RunResult> run = new ArrayList<>(new Runner(options.build()).run());
            results.addAll(run);
            run.forEach(result -> report.latency(result, threads));
            floor.measure(threads, report);   // right after the JMH runs it is compared with
        }
    }

    /** Runs a benchmark with its own annotations' forks and iterations (the cold start's one shot per fork). */
    private List<RunResult> runAsAnnotated(String pattern) throws RunnerException {
        List<RunResult> run = new ArrayList<>(new Runner(new OptionsBuilder().include(pattern)
                .shouldFailOnError(true).build()).run());
        results.addAll(run);
        return run;
    }

    /** Runs the benchmarks matching {@code pattern}, with {@code threads} threads (0: as annotated). */
    private List<RunResult> run(String pattern, int threads) throws RunnerException {
        List<RunResult> run = new ArrayList<>(new Runner(options(pattern, threads).build()).run());
        results.addAll(run);
        return run;
    }

    /** {@return the options of this mode (quick or full) for the benchmarks matching {@code pattern}} */
    private ChainedOptionsBuilder options(String pattern, int threads) {
        ChainedOptionsBuilder options = new OptionsBuilder().include(pattern).shouldFailOnError(true);
        if (threads > 0) {
            options.threads(threads);
        }
        if (full) {
            options.forks(2).warmupIterations(3).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(2));
        } else {
            // Two 2 s warm-ups: the C2 compiler needs about that long to settle on 2 cores.
            options.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        return options;
    }

    /**
     * Runs one of the C programs beside the suite and waits for it.
     *
     * @return its output, trimmed
     * @throws IOException naming {@code what}, with the output, if it exits with a status other than 0
     */
    static String runC(String what, String... command) throws IOException, InterruptedException {
        Process process = Spawner.start(new ProcessBuilder(command).redirectErrorStream(true));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (process.waitFor() != 0) {
            throw new IOException(what + " failed: " + output);
        }
        return output;
    }

    /**
     * The C start-and-wait loop doing forkwise's work ({@code pipes}), timing every start:
     * {@code startwait THREADS SECONDS pipes latency} prints starts per second, the median and the
     * 99th percentile in microseconds. Measures nothing without a binary.
     */
    record CFloorLatency(Path binary, int seconds) {

        void measure(int threads, Report report) throws IOException, InterruptedException {
            if (binary == null || !Files.isExecutable(binary)) {
                return;
            }
            String[] fields = runC("C floor latency", binary.toString(), Integer.toString(threads),
                    Integer.toString(seconds), "pipes", "latency").split("\\s+");
            double median = Double.parseDouble(fields[1]);
            double p99 = Double.parseDouble(fields[2]);
            System.out.printf("C floor latency, %d threads: median %.0f µs, p99 %.0f µs%n", threads, median, p99);
            report.floorLatency(threads, median, p99);
        }
    }

    /** The machine the suite ran on, for the report. */
    record Machine(String cpu, int cores, String memory, String kernel, String jdk, String mechanism) {
        static Machine describe() throws IOException {
            String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
            String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(line -> line.startsWith("MemTotal"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / (1024 * 1024) + " GiB")
                    .findFirst().orElse("?");
            String kernel = "Linux " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
            String jdk = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version");
            return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memory, kernel, jdk,
                    Spawner.mechanism().toString());
        }
    }

    /**
     * The C start-and-wait loop, in both its forms, per thread count: the mean of several runs, as
     * JMH's score is a mean (this machine's own throughput varies by ±15% from second to second).
     * Empty without a binary.
     */
    record CFloor(Path binary, int runs, int seconds, Map<Integer, Double> bare, Map<Integer, Double> pipes,
                  String absentReason) {

        static CFloor of(Path binary, int runs, int seconds) {
            String absent = binary == null || !Files.isExecutable(binary)
                    ? "no C compiler found, so no C floor was built" : null;
            return new CFloor(binary, runs, seconds, new TreeMap<>(), new TreeMap<>(), absent);
        }

        void measure(int threads) throws IOException, InterruptedException {
            if (absentReason != null) {
                System.out.println("C floor skipped: " + absentReason);
                return;
            }
            bare.put(threads, mean(threads, "bare"));
            pipes.put(threads, mean(threads, "pipes"));
            System.out.printf("C floor, %d threads: %.0f starts/s bare, %.0f with pipes%n",
                    threads, bare.get(threads), pipes.get(threads));
        }

        private double mean(int threads, String mode) throws IOException, InterruptedException {
            double sum = 0;
            for (int i = 0; i < runs; i++) {
                sum += run(threads, mode);
            }
            return sum / runs;
        }

        private double run(int threads, String mode) throws IOException, InterruptedException {
            return Double.parseDouble(runC("C floor", binary.toString(), Integer.toString(threads),
                    Integer.toString(seconds), mode));
        }
    }

    /**
     * The C program of the write-then-exec workload ({@code c/writeexec.c}), run right after the
     * JMH run it is compared with, at that benchmark's thread count. Per mode ({@code spawn}: the
     * start forkwise makes; {@code fork}: the JDK's FORK launch mechanism) the mean of several runs,
     * as for {@link CFloor}, and the failures of all the runs. Empty without a binary.
     */
    record RaceC(int threads, int runs, int seconds, Map<String, Mode> modes, String absentReason) {

        /** The modes of {@code writeexec}, in the order of the report. */
        static final List<String> MODES = List.of("spawn", "fork");

        /**
         * One mode's figures.
         *
         * @param startsPerSecond successful starts per second, the mean of the runs
         * @param busy            starts that failed with ETXTBSY, all runs together
         * @param failed          other failed starts and non-zero exits, all runs together
         */
        record Mode(double startsPerSecond, long busy, long failed) {
        }

        /** Runs every mode {@code runs} times; without the binary, returns an empty result saying why. */
        static RaceC measure(Path floorBinary, boolean full) throws IOException, InterruptedException {
            int threads = WriteThenExecBenchmark.class.getAnnotation(Threads.class).value();
            int runs = full ? 5 : 3;
            int seconds = full ? 4 : 2;
            Path binary = floorBinary == null ? null : floorBinary.resolveSibling("writeexec");
            if (binary == null || !Files.isExecutable(binary)) {
                String absent = binary == null ? "no C compiler found, so no C program was built"
                        : "no executable " + binary.getFileName() + " beside the C floor";
                System.out.println("C race workload skipped: " + absent);
                return new RaceC(threads, runs, seconds, Map.of(), absent);
            }
            Map<String, Mode> modes = new LinkedHashMap<>();
            for (String mode : MODES) {
                double sum = 0;
                long busy = 0;
                long failed = 0;
                for (int i = 0; i < runs; i++) {
                    String[] fields = run(binary, threads, seconds, mode);
                    sum += Double.parseDouble(fields[0]);
                    busy += Long.parseLong(fields[1]);
                    failed += Long.parseLong(fields[2]);
                }
                modes.put(mode, new Mode(sum / runs, busy, failed));
                System.out.printf("C race workload (%s), %d threads: %.0f starts/s, %d ETXTBSY, %d other failures%n",
                        mode, threads, sum / runs, busy, failed);
            }
            return new RaceC(threads, runs, seconds, modes, null);
        }

        /** {@return the fields of {@code writeexec}'s one line: starts/s, ETXTBSY, other failures} */
        private static String[] run(Path binary, int threads, int seconds, String mode)
                throws IOException, InterruptedException {
            String output = runC("C race workload", binary.toString(), Integer.toString(threads),
                    Integer.toString(seconds), mode);
            String[] fields = output.split("\\s+");
            if (fields.length != 3) {
                throw new IOException("C race workload failed: " + output);
            }
            return fields;
        }
    }
}
