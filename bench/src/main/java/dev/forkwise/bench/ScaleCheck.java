package dev.forkwise.bench;

import dev.forkwise.Spawner;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A one-shot measurement, not a throughput benchmark: starts {@code N} children of {@code cat}
 * that all stay alive at once, and with all of them alive counts this JVM's threads (by name),
 * its resident memory, its heap after a garbage collection and its open descriptors, each against
 * the figures before the first start; then releases every child, checks that each exits with 0,
 * and that descriptors, threads and children return to what they were.
 *
 * <p>Usage: {@code ScaleCheck forkwise|processBuilder [N] [pipes|fifo] [fit]}, N 10,000 by default.
 * <ul>
 * <li>{@code pipes} (the default): {@code new ProcessBuilder("cat")} with its three default pipes;
 *     {@code cat} blocks reading its standard input, and closing that pipe releases it.</li>
 * <li>{@code fifo}: every child's standard input is one named pipe whose only writer this JVM
 *     holds, and its outputs are discarded, so the JVM keeps no descriptor per child but what the
 *     contender itself needs to watch it (forkwise: a pidfd); closing the writer releases all of
 *     them. It reaches a larger N under a given descriptor limit.</li>
 * </ul>
 * The descriptors and processes N needs are checked against {@code /proc/self/limits},
 * {@code kernel.pid_max} and {@code kernel.threads-max} first: a run that cannot fit fails with a
 * message saying which limit and by how much, unless {@code fit} is given, which lowers N to what
 * fits and says so. The last line of the output is the summary, {@code key=value} pairs after
 * {@code SCALE}, which {@link Suite} parses.
 *
 * <p>Run it in a JVM of its own per contender (the JDK's reaper threads outlive their children by
 * a minute), with {@code --enable-native-access=ALL-UNNAMED}; {@code bench/scale.sh} does.
 */
public final class ScaleCheck {

    /** Descriptors the JVM may open besides the children's: jars, epoll, eventfd, a spawn's pipes. */
    private static final int MARGIN = 64;

    private final boolean forkwise;
    private final boolean pipes;
    private final Path fifo;

    private ScaleCheck(boolean forkwise, boolean pipes, Path fifo) {
        this.forkwise = forkwise;
        this.pipes = pipes;
        this.fifo = fifo;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !args[0].matches("forkwise|processBuilder")
                || args.length > 2 && !args[2].matches("pipes|fifo") || args.length > 3 && !args[3].equals("fit")) {
            System.err.println("usage: ScaleCheck forkwise|processBuilder [N] [pipes|fifo] [fit]");
            System.exit(2);
        }
        boolean forkwise = args[0].equals("forkwise");
        int requested = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        boolean pipes = args.length <= 2 || args[2].equals("pipes");
        boolean fit = args.length > 3;

        Snapshot cold = Snapshot.take();   // before anything of the contender's has run
        Path fifo = pipes ? null : namedPipe(forkwise);
        ScaleCheck check = new ScaleCheck(forkwise, pipes, fifo);
        // Each child holds in this JVM: forkwise three pipe ends and a pidfd, the JDK three pipe ends
        // (no pidfd); with the named pipe only forkwise's pidfd. The JDK adds a reaper thread each.
        int fdsPerChild = (pipes ? 3 : 0) + (forkwise ? 1 : 0);
        int tasksPerChild = forkwise ? 1 : 2;
        Limits limits = Limits.read();
        int fits = limits.fits(cold, fdsPerChild, tasksPerChild);
        String limitedBy = "-";
        int n = requested;
        if (fits < requested) {
            String why = limits.shortfall(cold, requested, fdsPerChild, tasksPerChild);
            if (!fit) {
                System.err.println("ScaleCheck: " + requested + " children do not fit: " + why
                        + ". Raise the limit (bench/scale.sh raises the soft limits to the hard ones; past a hard"
                        + " limit takes CAP_SYS_RESOURCE), "
                        + "ask for fewer, or pass 'fit'.");
                System.exit(3);
            }
            n = fits;
            limitedBy = limits.binding(cold, requested, fdsPerChild, tasksPerChild);
            System.out.println("fitting " + n + " of " + requested + " children: " + why);
        }

        RandomAccessFile warmUpWriter = check.openWriter();   // first: a child's open of the pipe waits for a writer
        check.release(List.of(check.start()), warmUpWriter);   // warm-up: the machinery and the code paths
        Snapshot warm = Snapshot.take();

        RandomAccessFile writer = check.openWriter();
        List<Process> children = new ArrayList<>(n);
        // The first and the last tenth of the starts, timed apart: does a start cost more with more alive?
        // The starting thread's own CPU time (user + system, and user alone) says whether it is the
        // JVM's code or the kernel's that grows.
        int tenth = Math.max(1, n / 10);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long[] first = null;
        long[] last = null;
        long began = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (i == 0 || i == n - tenth) {
                long[] mark = {System.nanoTime(), cpu.getCurrentThreadCpuTime(), cpu.getCurrentThreadUserTime()};
                if (i == 0) {
                    first = mark;
                }
                last = mark;
            }
            children.add(check.start());
            if (i == tenth - 1) {
                first = since(first, cpu);
            }
        }
        long startNanos = System.nanoTime() - began;
        last = since(last, cpu);
        long alive = children.stream().filter(Process::isAlive).count();
        Snapshot atN = Snapshot.take();

        check.release(children, writer);
        int zero = 0;
        Map<Integer, Integer> others = new TreeMap<>();
        for (Process child : children) {
            int status = child.waitFor();
            if (status == 0) {
                zero++;
            } else {
                others.merge(status, 1, Integer::sum);
            }
        }
        long waitedFrom = System.nanoTime();
        // The JDK's reaper pool keeps an idle thread for 60 s; wait a little longer for it, and no more.
        Snapshot after = Snapshot.awaitBaseline(warm, forkwise ? 10_000 : 75_000);
        long backMillis = (System.nanoTime() - waitedFrom) / 1_000_000;
        long leftoverChildren = ProcessHandle.current().children().count();
        if (fifo != null) {
            Files.deleteIfExists(fifo);
        }

        System.out.printf(Locale.ROOT, "at N: %s%nwarm: %s%ncold: %s%nafter: %s%n",
                atN.describe(), warm.describe(), cold.describe(), after.describe());
        if (!others.isEmpty()) {
            System.out.println("exit values other than 0 (value=count): " + others);
        }
        if (after.fds() > warm.fds()) {
            System.out.println("descriptors open since the warm baseline: " + after.newSince(warm));
        }
        double perChild = 1.0 / n;
        System.out.printf(Locale.ROOT, "SCALE contender=%s wiring=%s requested=%d n=%d limitedBy=%s alive=%d"
                        + " startMs=%d firstTenthUs=%d lastTenthUs=%d firstTenthCpuUs=%d lastTenthCpuUs=%d"
                        + " firstTenthUserUs=%d lastTenthUserUs=%d threadsCold=%d threadsWarm=%d threadsAtN=%d addedVsCold=%d addedVsWarm=%d"
                        + " forkwiseThreads=%d reaperThreads=%d otherThreadsAdded=%d"
                        + " rssPerChildKiB=%.1f heapPerChildBytes=%.0f fdsPerChild=%.2f"
                        + " exitsZero=%d exitsOther=%d leftoverFds=%d leftoverThreads=%d leftoverChildren=%d"
                        + " backMs=%d nofile=%d nproc=%s%n",
                args[0], pipes ? "pipes" : "fifo", requested, n, limitedBy, alive,
                startNanos / 1_000_000, first[0] / tenth / 1000, last[0] / tenth / 1000,
                first[1] / tenth / 1000, last[1] / tenth / 1000, first[2] / tenth / 1000, last[2] / tenth / 1000,
                cold.threads(), warm.threads(), atN.threads(),
                atN.threads() - cold.threads(), atN.threads() - warm.threads(),
                atN.group("forkwise"), atN.group("reaper"), atN.group("other") - cold.group("other"),
                (atN.rssKiB() - warm.rssKiB()) * perChild, (atN.heapBytes() - warm.heapBytes()) * perChild,
                (atN.fds() - warm.fds()) * perChild,
                zero, n - zero, after.fds() - warm.fds(), after.threads() - warm.threads(), leftoverChildren,
                backMillis, limits.nofile(), limits.nproc() == Long.MAX_VALUE ? "unlimited" : limits.nproc());
        boolean clean = zero == n && alive == n && after.fds() <= warm.fds() && after.threads() <= warm.threads()
                && leftoverChildren == 0;
        System.exit(clean ? 0 : 1);
    }

    /** Wall, CPU and user time since {@code mark}. */
    private static long[] since(long[] mark, ThreadMXBean cpu) {
        return new long[] {System.nanoTime() - mark[0], cpu.getCurrentThreadCpuTime() - mark[1],
                cpu.getCurrentThreadUserTime() - mark[2]};
    }

    private Process start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder("cat");
        if (!pipes) {
            builder.redirectInput(fifo.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        return forkwise ? Spawner.start(builder) : builder.start();
    }

    /** The named pipe's writer: open for reading and writing, so opening it does not wait for a reader. */
    private RandomAccessFile openWriter() throws IOException {
        return pipes ? null : new RandomAccessFile(fifo.toFile(), "rw");
    }

    private void release(List<Process> children, RandomAccessFile writer) throws IOException, InterruptedException {
        if (pipes) {
            for (Process child : children) {
                child.getOutputStream().close();
            }
        } else {
            writer.close();
        }
        if (children.size() == 1) {   // the warm-up child: gone, with its streams, before the baseline
            Process child = children.getFirst();
            if (child.waitFor() != 0) {
                throw new IllegalStateException("the warm-up child exited with " + child.exitValue());
            }
            child.getInputStream().close();
            child.getErrorStream().close();
        }
    }

    /** Makes the named pipe with the contender's own start, so that it runs nothing of the other's. */
    private static Path namedPipe(boolean forkwise) throws IOException, InterruptedException {
        Path fifo = Files.createTempDirectory("scalecheck").resolve("stdin");
        ProcessBuilder builder = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO();
        Process mkfifo = forkwise ? Spawner.start(builder) : builder.start();
        if (mkfifo.waitFor() != 0) {
            throw new IOException("mkfifo " + fifo + " failed");
        }
        fifo.toFile().deleteOnExit();
        new File(fifo.getParent().toString()).deleteOnExit();
        return fifo;
    }

    /**
     * The first line of a file, trimmed. {@code Files.readString} trusts the size a file reports,
     * and a {@code /proc} file reports 0: it returned "3" of "32768".
     */
    static String firstLine(Path file) throws IOException {
        return Files.readAllLines(file).getFirst().trim();
    }

    /** What the descriptor listing {@code /proc/self/fd} links to, while it lists. */
    private static final String LISTING = "/proc/" + ProcessHandle.current().pid() + "/fd";

    /** This JVM's threads by group, resident memory, heap used after a collection, and descriptors. */
    record Snapshot(Map<String, Integer> groups, Map<String, Integer> forkwiseNames, long rssKiB, long heapBytes,
                    long fds, Map<String, String> fdTargets) {

        static Snapshot take() throws IOException {
            System.gc();
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            Map<String, Integer> groups = new TreeMap<>(Map.of("forkwise", 0, "reaper", 0, "other", 0));
            Map<String, Integer> forkwiseNames = new TreeMap<>();
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    String name;
                    try {
                        name = firstLine(task.resolve("comm"));
                    } catch (IOException gone) {
                        continue;   // a thread that ended while listed
                    }
                    // The kernel keeps 15 bytes of a name: "forkwise-watche", "process reaper".
                    String group = name.startsWith("forkwise-") ? "forkwise"
                            : name.equals("process reaper") ? "reaper" : "other";
                    groups.merge(group, 1, Integer::sum);
                    if (group.equals("forkwise")) {
                        forkwiseNames.merge(name, 1, Integer::sum);
                    }
                }
            }
            long rss = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(-1);
            long fds = 0;
            Map<String, String> targets = new TreeMap<>();
            try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : (Iterable<Path>) open::iterator) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException closed) {
                        continue;
                    }
                    if (!target.equals(LISTING)) {   // not the one that lists them
                        targets.put(fd.getFileName().toString(), target);
                        fds++;
                    }
                }
            }
            if (fds > 100) {
                targets = Map.of();   // kept for a small baseline only, to name what is left over
            }
            return new Snapshot(groups, forkwiseNames, rss, heap, fds, targets);
        }

        /** Takes snapshots until threads and descriptors are back at {@code baseline}'s, or the time is up. */
        static Snapshot awaitBaseline(Snapshot baseline, long millis) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000;
            Snapshot now = take();
            while ((now.threads() > baseline.threads() || now.fds() > baseline.fds()) && System.nanoTime() < deadline) {
                Thread.sleep(250);
                now = take();
            }
            return now;
        }

        /** The descriptors open now that were not in {@code baseline}, with what they name. */
        Map<String, String> newSince(Snapshot baseline) {
            Map<String, String> extra = new TreeMap<>(fdTargets);
            baseline.fdTargets.forEach(extra::remove);
            return extra;
        }

        int threads() {
            return groups.values().stream().mapToInt(Integer::intValue).sum();
        }

        int group(String name) {
            return groups.getOrDefault(name, 0);
        }

        String describe() {
            return String.format(Locale.ROOT, "%d threads %s (forkwise: %s), RSS %d KiB, heap %d KiB, %d fds",
                    threads(), groups, forkwiseNames, rssKiB, heapBytes / 1024, fds);
        }
    }

    /** The soft limits of this process and the kernel's, as far as N children need them. */
    record Limits(long nofile, long hardNofile, long nproc, long pidMax, long threadsMax, long tasksNow) {

        static Limits read() throws IOException {
            long nofile = -1;
            long hardNofile = -1;
            long nproc = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files") || line.startsWith("Max processes")) {
                    String[] softAndHard = line.substring(26).trim().split("\\s+");
                    long value = limit(softAndHard[0]);
                    if (line.startsWith("Max open files")) {
                        nofile = value;
                        hardNofile = limit(softAndHard[1]);
                    } else {
                        nproc = value;
                    }
                }
            }
            // The fourth field of /proc/loadavg is running/total scheduling entities, system-wide.
            String entities = firstLine(Path.of("/proc/loadavg")).split("\\s+")[3];
            return new Limits(nofile, hardNofile, nproc, number("/proc/sys/kernel/pid_max"),
                    number("/proc/sys/kernel/threads-max"), Long.parseLong(entities.substring(entities.indexOf('/') + 1)));
        }

        private static long limit(String value) {
            return value.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(value);
        }

        private static long number(String path) throws IOException {
            return Long.parseLong(firstLine(Path.of(path)));
        }

        /** How many children fit, each holding {@code fds} descriptors and {@code tasks} kernel tasks. */
        int fits(Snapshot now, int fds, int tasks) {
            long byFds = fds == 0 ? Long.MAX_VALUE : (nofile - now.fds() - MARGIN) / fds;
            // RLIMIT_NPROC counts the user's tasks; root is held to it too without CAP_SYS_RESOURCE.
            long byTasks = (Math.min(Math.min(nproc, pidMax), threadsMax) - tasksNow - MARGIN) / tasks;
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, Math.min(byFds, byTasks)));
        }

        String binding(Snapshot now, int n, int fds, int tasks) {
            long byFds = fds == 0 ? Long.MAX_VALUE : (nofile - now.fds() - MARGIN) / fds;
            return byFds < n ? "RLIMIT_NOFILE" : nproc <= Math.min(pidMax, threadsMax) ? "RLIMIT_NPROC"
                    : pidMax <= threadsMax ? "pid_max" : "threads-max";
        }

        String shortfall(Snapshot now, int n, int fds, int tasks) {
            return String.format(Locale.ROOT, "they need about %d descriptors (RLIMIT_NOFILE soft limit %d, hard %d, %d open)"
                            + " and %d more tasks (RLIMIT_NPROC %s, kernel.pid_max %d, kernel.threads-max %d, %d tasks now)",
                    (long) n * fds + now.fds() + MARGIN, nofile, hardNofile, now.fds(), (long) n * tasks,
                    nproc == Long.MAX_VALUE ? "unlimited" : Long.toString(nproc), pidMax, threadsMax, tasksNow);
        }
    }
}
