package dev.forkwise.bench;

import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Turns the suite's results into {@code docs/benchmarks.md} and its SVG chart. */
final class Report {

    /** Benchmark method name to the contender it measures, in the order of the tables. */
    private static final Map<String, String> CONTENDERS = new LinkedHashMap<>();

    static {
        CONTENDERS.put("forkwise", "forkwise");
        CONTENDERS.put("processBuilder", "ProcessBuilder (POSIX_SPAWN, the default)");
        CONTENDERS.put("processBuilderFork", "ProcessBuilder (FORK)");
        CONTENDERS.put("nuProcess", "NuProcess 3.0.0");
    }

    private static final String[] COLOURS = {"#2b6cb0", "#c05621", "#b7791f", "#718096", "#2f855a"};

    private final String mode;
    private final Suite.Machine machine;
    /** contender method -> threads -> result */
    private final Map<String, Map<Integer, Result<?>>> startAndWait = new LinkedHashMap<>();
    private final Map<String, RunResult> writeThenExec = new LinkedHashMap<>();
    private final Map<String, Result<?>> heapSize = new LinkedHashMap<>();
    private final Map<String, Result<?>> coldStart = new TreeMap<>();
    private final List<RunResult> others = new ArrayList<>();
    private Suite.CFloor floor = new Suite.CFloor(null, 0, 0, Map.of(), Map.of(), "not run");
    private Suite.RaceC raceC = new Suite.RaceC(0, 0, 0, Map.of(), "not run");
    private final LatencyReport latency = new LatencyReport();
    private Scale scale = new Scale(List.of());
    private AgentStart agentStart = new AgentStart(0, Map.of(), "");

    Report(String mode, Suite.Machine machine) {
        this.mode = mode;
        this.machine = machine;
        CONTENDERS.keySet().forEach(method -> startAndWait.put(method, new TreeMap<>()));
    }

    void startAndWait(RunResult result, int threads) {
        startAndWait.get(method(result)).put(threads, result.getPrimaryResult());
    }

    void writeThenExec(RunResult result) {
        writeThenExec.put(method(result), result);
    }

    void heapSize(RunResult result) {
        heapSize.put(method(result), result.getPrimaryResult());
    }

    void coldStart(RunResult result) {
        coldStart.put(method(result), result.getPrimaryResult());
    }

    void other(RunResult result) {
        others.add(result);
    }

    void floor(Suite.CFloor floor) {
        this.floor = floor;
    }

    void raceC(Suite.RaceC raceC) {
        this.raceC = raceC;
    }

    /** A {@code StartAndWaitLatencyBenchmark} run (SampleTime, with the GC profiler) at {@code threads} threads. */
    void latency(RunResult result, int threads) {
        latency.add(result, threads);
    }

    /** The C floor's (same work) latency at {@code threads} threads, in µs. */
    void floorLatency(int threads, double median, double p99) {
        latency.addFloor(threads, median, p99);
    }

    void agentStart(AgentStart agentStart) {
        this.agentStart = agentStart;
    }

    void scale(Scale scale) {
        this.scale = scale;
    }

    String markdown(Path json) {
        StringBuilder md = new StringBuilder();
        md.append("# forkwise benchmarks\n\n");
        md.append("Measured on ").append(LocalDate.now()).append(" with `bench/run-suite.sh ").append(mode)
                .append("`; raw JMH results in `").append(json.getFileName()).append("` beside this file. ")
                .append("Every contender of a table ran in the same suite run, on the same machine.\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| CPU | ").append(machine.cpu()).append(", ").append(machine.cores()).append(" cores |\n");
        md.append("| memory | ").append(machine.memory()).append(" |\n");
        md.append("| kernel | ").append(machine.kernel()).append(" |\n");
        md.append("| JDK | ").append(machine.jdk()).append(" |\n");
        md.append("| forkwise | ").append(machine.mechanism()).append(" |\n\n");

        md.append("## Start and wait\n\n");
        md.append("Start `/bin/true` with `ProcessBuilder`'s default redirects (three pipes) and wait for it, ")
                .append("as fast as possible from 1, 4 and 20 threads. The C floor is the same loop in C: ")
                .append("`posix_spawn` + `waitpid` doing the same work as forkwise (three pipes, `dup2` and ")
                .append("`closefrom` actions, a pidfd); *bare* is `posix_spawn` + `waitpid` and nothing else. ")
                .append("The floor runs right after the JMH runs of its thread count and is the mean of several runs; ")
                .append("this machine's own throughput varies by about ±15% from one second to the next, so read ")
                .append("ratios near 1 with that in mind.\n\n");
        md.append("NuProcess's single-thread figure is its real throughput with its defaults, not a harness artefact ")
                .append("(the harness waits with `waitFor(0, …)`, an untimed wait for its exit latch): NuProcess reaps a ")
                .append("child whose pipes have closed only if `waitpid(WNOHANG)` finds it exited at that moment, and ")
                .append("otherwise on its event thread's next wake-up, which with nothing else going on is ")
                .append("`epoll_wait`'s timeout, `com.zaxxer.nuprocess.deadPoolPollMs` (250 ms by default, 100 ms at ")
                .append("least). So most starts are fast and some wait up to 250 ms: the median is small while the mean, ")
                .append("which throughput inverts, is about 100 ms. With more threads other children's events wake the ")
                .append("loop and the wait disappears. `dev.forkwise.bench.StartLatencies nuProcess` prints the ")
                .append("distribution.\n\n");
        md.append("![starts per second by thread count](benchmarks.svg)\n\n");
        md.append("| contender | threads | starts/s | vs ProcessBuilder | vs C floor (same work) | vs C floor (bare) |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (int threads : Suite.THREADS) {
            Result<?> jdk = startAndWait.get("processBuilder").get(threads);
            for (Map.Entry<String, Map<Integer, Result<?>>> contender : startAndWait.entrySet()) {
                Result<?> result = contender.getValue().get(threads);
                if (result == null) {
                    continue;
                }
                md.append("| ").append(CONTENDERS.get(contender.getKey())).append(" | ").append(threads)
                        .append(" | ").append(withError(result)).append(" | ")
                        .append(jdk == null ? "" : ratio(result.getScore() / jdk.getScore())).append(" | ")
                        .append(ofFloor(result.getScore(), floor.pipes().get(threads))).append(" | ")
                        .append(ofFloor(result.getScore(), floor.bare().get(threads))).append(" |\n");
            }
            if (floor.pipes().containsKey(threads)) {
                md.append("| C floor (same work) | ").append(threads).append(" | ")
                        .append(number(floor.pipes().get(threads))).append(" | | | |\n");
                md.append("| C floor (bare) | ").append(threads).append(" | ")
                        .append(number(floor.bare().get(threads))).append(" | | | |\n");
            }
        }
        if (floor.absentReason() != null) {
            md.append("\nC floor: ").append(floor.absentReason()).append(".\n");
        }

        md.append(latency.markdown());

        md.append(raceSection());

        md.append("\n## Heap size\n\n");
        md.append("Start-and-wait latency (one thread) in a JVM with a 256 MiB heap and in one with a 4 GiB heap ")
                .append("that is committed, touched and holds 3 GiB of live objects.\n\n");
        md.append("| contender | 256 MiB heap (µs) | 4 GiB filled heap (µs) | filled / small |\n|---|---:|---:|---:|\n");
        for (String method : List.of("forkwise", "processBuilder", "processBuilderFork")) {
            Result<?> small = heapSize.get(method + "SmallHeap");
            Result<?> filled = heapSize.get(method + "FilledHeap");
            if (small != null && filled != null) {
                md.append("| ").append(CONTENDERS.get(method)).append(" | ").append(withError(small)).append(" | ")
                        .append(withError(filled)).append(" | ").append(ratio(filled.getScore() / small.getScore()))
                        .append(" |\n");
            }
        }

        md.append("\n## Cold start\n\n");
        md.append("The first start-and-wait of `/bin/true` in a fresh JVM: JMH `SingleShotTime`, no warm-up, one ")
                .append("start per fork, each fork a new JVM (mean over the forks). The JVM already runs JMH's harness, ")
                .append("so this is a little warmer than a program's first start; `bench/coldstart.sh` times whole ")
                .append("`java` runs and counts the classes loaded (figures in performance.md).\n\n");
        md.append("| contender | first start (ms) | vs ProcessBuilder |\n|---|---:|---:|\n");
        Result<?> coldJdk = coldStart.get("processBuilder");
        coldStart.forEach((method, result) -> md.append("| ").append(method.equals("firstDowncall")
                        ? "floor: forkwise's first call into C (`close(-1)`), no start" : CONTENDERS.get(method)).append(" | ")
                .append(withError(result)).append(" | ")
                .append(coldJdk == null ? "" : ratio(result.getScore() / coldJdk.getScore())).append(" |\n"));

        md.append("\n## Exit detection, pipe throughput, collecting output\n\n");
        md.append("| benchmark | contender | score | unit |\n|---|---|---:|---|\n");
        for (RunResult result : others) {
            String contender = result.getParams().getParam("contender");
            md.append("| ").append(simpleName(result)).append(" | ")
                    .append(contender == null ? method(result) : contender).append(" | ")
                    .append(withError(result.getPrimaryResult())).append(" | ")
                    .append(result.getPrimaryResult().getScoreUnit()).append(" |\n");
        }

        md.append(scale.markdown());
        md.append(agentStart.markdown());

        md.append("\n## Targets\n\n").append(targets());

        md.append("\n## Reproduce\n\n");
        md.append("```sh\nbench/run-suite.sh quick   # a few minutes on 2 cores\nbench/run-suite.sh full    # about half an hour\n```\n\n");
        md.append("The script finds a JDK 22+, installs the library, builds `bench/target/benchmarks.jar`, builds the ")
                .append("C floor from `bench/c/startwait.c` and the race workload's C program from `bench/c/writeexec.c` ")
                .append("where a C compiler exists, runs every benchmark with JMH (each in its own forked JVM) and ")
                .append("rewrites this page. Single benchmarks: `bench/run.sh <regex>`.\n");
        return md.toString();
    }

    private String targets() {
        StringBuilder md = new StringBuilder("| target | measured | met |\n|---|---|---|\n");
        for (int threads : new int[] {1, 4}) {
            Result<?> forkwise = startAndWait.get("forkwise").get(threads);
            Result<?> jdk = startAndWait.get("processBuilder").get(threads);
            if (forkwise != null && jdk != null) {
                double ratio = forkwise.getScore() / jdk.getScore();
                md.append("| start-and-wait ≥ 2× ProcessBuilder, ").append(threads).append(threads == 1 ? " thread" : " threads")
                        .append(" | ").append(ratio(ratio)).append(" | ").append(ratio >= 2 ? "yes" : "no").append(" |\n");
            }
        }
        Result<?> single = startAndWait.get("forkwise").get(1);
        Double floorSingle = floor.pipes().get(1);
        if (single != null && floorSingle != null) {
            double slower = floorSingle / single.getScore();
            md.append("| single-thread start-and-wait within 1.15× of the C floor (same work) | ")
                    .append(ratio(slower)).append(" of the floor's time (bare floor: ")
                    .append(ratio(floor.bare().get(1) / single.getScore())).append(") | ")
                    .append(slower <= 1.15 ? "yes" : "no").append(" |\n");
        }
        for (int threads : new int[] {1, 20}) {
            Result<?> forkwise = startAndWait.get("forkwise").get(threads);
            Double sameWork = floor.pipes().get(threads);
            if (forkwise != null && sameWork != null) {
                double ratio = forkwise.getScore() / sameWork;
                md.append("| steady start-and-wait ≥ 0.95× the C floor (same work), ").append(threads)
                        .append(threads == 1 ? " thread" : " threads").append(" | ").append(ratio(ratio))
                        .append(" | ").append(ratio >= 0.95 ? "yes" : "no").append(" |\n");
            }
        }
        md.append(latency.targets());
        Result<?> coldForkwise = coldStart.get("forkwise");
        Result<?> coldJdk = coldStart.get("processBuilder");
        if (coldForkwise != null && coldJdk != null) {
            double ratio = coldForkwise.getScore() / coldJdk.getScore();
            Result<?> coldFloor = coldStart.get("firstDowncall");
            md.append("| first start in a fresh JVM within 2× of ProcessBuilder's | ").append(ratio(ratio))
                    .append(coldFloor == null ? "" : " (the floor, a first call into C: "
                            + ratio(coldFloor.getScore() / coldJdk.getScore()) + ")")
                    .append(" | ").append(ratio <= 2 ? "yes" : "no").append(" |\n");
        }
        RunResult race = writeThenExec.get("forkwise");
        if (race != null) {
            String busy = count(race, "busy");
            md.append("| zero ETXTBSY for forkwise in write-then-exec | ").append(busy).append(" | ")
                    .append(busy.equals("0") ? "yes" : "no").append(" |\n");
        }
        raceTargets(md);
        Result<?> small = heapSize.get("forkwiseSmallHeap");
        Result<?> filled = heapSize.get("forkwiseFilledHeap");
        if (small != null && filled != null) {
            double ratio = filled.getScore() / small.getScore();
            md.append("| flat start latency, 256 MiB to 4 GiB touched heap | ").append(ratio(ratio))
                    .append(" | ").append(ratio <= 1.15 ? "yes" : "no").append(" |\n");
        }
        md.append(scale.target());
        md.append(agentStart.target());
        return md.toString();
    }

    /**
     * The write-then-exec section: the JMH contenders and the C program's two modes, with their
     * ratios to {@code ProcessBuilder} and to the C program's posix_spawn mode, and their failure
     * rates (the counts cover different lengths of time).
     */
    private String raceSection() {
        StringBuilder md = new StringBuilder("\n## Write then exec (the ETXTBSY race)\n\n");
        int threads = writeThenExec.values().stream().findFirst().map(r -> r.getParams().getThreads())
                .orElse(raceC.threads());
        md.append("design.md §1's workload at ").append(threads).append(" threads: each writes a script with ")
                .append("`FileOutputStream`, makes it executable, starts it and waits. The C program ")
                .append("(`bench/c/writeexec.c`) does the same work: the file with the system calls the JDK makes ")
                .append("(not `O_CLOEXEC`), and in its posix_spawn mode the start forkwise makes (three `O_CLOEXEC` ")
                .append("pipes, `dup2` and `closefrom` actions, a pidfd, `waitid(P_PIDFD)`); its fork mode starts with ")
                .append("`fork` + `execve`, the model of the JDK's FORK mechanism. It runs right after the JMH runs");
        if (raceC.absentReason() == null) {
            md.append(", ").append(raceC.runs()).append(" runs of ").append(raceC.seconds()).append(" s per mode (mean)");
        }
        md.append(". Neither C mode retries: an `ETXTBSY` is counted and the loop goes on, where forkwise waits ")
                .append("for the spawns in flight and retries (design.md §3). JMH's score counts every call, a failed ")
                .append("start too; the C program's only the starts that succeeded. The failure counts are totals, over ")
                .append("the measurement iterations for JMH and over all runs for C; the last column makes them comparable.\n\n");
        md.append("| contender | starts/s | vs ProcessBuilder | vs C (posix_spawn) | ETXTBSY | other failures ")
                .append("| ETXTBSY per 10,000 attempts |\n|---|---:|---:|---:|---:|---:|---:|\n");
        RunResult jdk = writeThenExec.get("processBuilder");
        Suite.RaceC.Mode c = raceC.modes().get("spawn");
        writeThenExec.forEach((method, result) -> {
            double score = result.getPrimaryResult().getScore();   // every call, so the attempts include failures
            raceRow(md, CONTENDERS.get(method), withError(result.getPrimaryResult()), score, jdk, c,
                    counter(result, "busy"), counter(result, "failed"), score * measuredSeconds(result));
        });
        raceC.modes().forEach((mode, figures) -> raceRow(md,
                mode.equals("spawn") ? "C, posix_spawn (forkwise's work)" : "C, fork + execve (the JDK's FORK model)",
                number(figures.startsPerSecond()), figures.startsPerSecond(), jdk, c, figures.busy(), figures.failed(),
                figures.startsPerSecond() * raceC.runs() * raceC.seconds() + figures.busy() + figures.failed()));
        if (raceC.absentReason() != null) {
            md.append("\nC program: ").append(raceC.absentReason()).append(".\n");
        }
        return md.toString();
    }

    private static void raceRow(StringBuilder md, String contender, String score, double value, RunResult jdk,
                                Suite.RaceC.Mode c, double busy, double failed, double attempts) {
        md.append("| ").append(contender).append(" | ").append(score).append(" | ")
                .append(jdk == null ? "" : ratio(value / jdk.getPrimaryResult().getScore())).append(" | ")
                .append(c == null ? "" : ratio(value / c.startsPerSecond())).append(" | ")
                .append(String.format(Locale.ROOT, "%.0f | %.0f | %s |\n", busy, failed,
                        attempts > 0 ? String.format(Locale.ROOT, "%.1f", busy / attempts * 10_000) : ""));
    }

    /** The two targets for the race workload: ≥ 2.3× ProcessBuilder, ≥ 0.9× the C program. */
    private void raceTargets(StringBuilder md) {
        RunResult forkwise = writeThenExec.get("forkwise");
        RunResult jdk = writeThenExec.get("processBuilder");
        Suite.RaceC.Mode c = raceC.modes().get("spawn");
        if (forkwise == null) {
            return;
        }
        double score = forkwise.getPrimaryResult().getScore();
        if (jdk != null) {
            double ratio = score / jdk.getPrimaryResult().getScore();
            md.append("| write-then-exec ≥ 2.3× ProcessBuilder | ").append(ratio(ratio)).append(" | ")
                    .append(ratio >= 2.3 ? "yes" : "no").append(" |\n");
        }
        if (c != null) {
            double ratio = score / c.startsPerSecond();
            md.append("| write-then-exec ≥ 0.9× the C program doing the same work (posix_spawn) | ")
                    .append(ratio(ratio)).append(" | ").append(ratio >= 0.9 ? "yes" : "no").append(" |\n");
        }
    }

    /** {@return the seconds JMH measured {@code result} for: forks × iterations × iteration time} */
    private static double measuredSeconds(RunResult result) {
        IterationParams measurement = result.getParams().getMeasurement();
        return Math.max(1, result.getParams().getForks()) * measurement.getCount()
                * measurement.getTime().convertTo(TimeUnit.MILLISECONDS) / 1000.0;
    }

    private static double counter(RunResult result, String counter) {
        Result<?> secondary = result.getSecondaryResults().get(counter);
        return secondary == null ? 0 : secondary.getScore();
    }

    /** A grouped bar chart: starts per second by thread count, one bar per contender and the C floor. */
    String chart() {
        List<String> series = new ArrayList<>();
        List<Map<Integer, Double>> values = new ArrayList<>();
        startAndWait.forEach((method, byThreads) -> {
            if (!byThreads.isEmpty()) {
                Map<Integer, Double> scores = new TreeMap<>();
                byThreads.forEach((threads, result) -> scores.put(threads, result.getScore()));
                series.add(CONTENDERS.get(method));
                values.add(scores);
            }
        });
        if (!floor.pipes().isEmpty()) {
            series.add("C floor (same work)");
            values.add(floor.pipes());
        }
        double max = values.stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue).max().orElse(1);
        double top = niceCeiling(max);
        int width = 760;
        int height = 380;
        int left = 70;
        int bottom = 50;
        int plotTop = 40;
        int plotHeight = height - bottom - plotTop;
        int groupWidth = (width - left - 20) / Suite.THREADS.length;
        int barWidth = (groupWidth - 30) / Math.max(1, series.size());
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height + 22 * ((series.size() + 1) / 2)).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"").append(width / 2).append("\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">")
                .append("Start-and-wait of /bin/true: starts per second (higher is better)</text>\n");
        for (int tick = 0; tick <= 5; tick++) {
            double value = top * tick / 5;
            double y = plotTop + plotHeight - plotHeight * tick / 5.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    left, width - 20, y, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%,.0f</text>%n",
                    left - 6, y + 4, value));
        }
        for (int g = 0; g < Suite.THREADS.length; g++) {
            int threads = Suite.THREADS[g];
            int groupLeft = left + g * groupWidth + 15;
            for (int s = 0; s < series.size(); s++) {
                Double value = values.get(s).get(threads);
                if (value == null) {
                    continue;
                }
                double barHeight = plotHeight * value / top;
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s, %d threads: %s starts/s</title></rect>%n",
                        groupLeft + s * barWidth, plotTop + plotHeight - barHeight, barWidth - 2, barHeight,
                        COLOURS[s % COLOURS.length], series.get(s), threads, number(value)));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d %s</text>%n",
                    groupLeft + barWidth * series.size() / 2, plotTop + plotHeight + 18, threads,
                    threads == 1 ? "thread" : "threads"));
        }
        for (int s = 0; s < series.size(); s++) {
            int x = left + (s % 2) * 330;
            int y = height + 22 * (s / 2);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    x, y - 10, COLOURS[s % COLOURS.length]));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 18, y, series.get(s)));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String method(RunResult result) {
        String benchmark = result.getParams().getBenchmark();
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    private static String simpleName(RunResult result) {
        String benchmark = result.getParams().getBenchmark();
        String withoutMethod = benchmark.substring(0, benchmark.lastIndexOf('.'));
        return withoutMethod.substring(withoutMethod.lastIndexOf('.') + 1) + "." + method(result);
    }

    private static String count(RunResult result, String counter) {
        Result<?> secondary = result.getSecondaryResults().get(counter);
        return secondary == null ? "0" : String.format(Locale.ROOT, "%.0f", secondary.getScore());
    }

    private static String withError(Result<?> result) {
        double error = result.getScoreError();
        return Double.isNaN(error) ? number(result.getScore()) : number(result.getScore()) + " ± " + number(error);
    }

    private static String ofFloor(double score, Double floorScore) {
        return floorScore == null ? "" : ratio(score / floorScore);
    }

    private static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    private static String number(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
    }
}
