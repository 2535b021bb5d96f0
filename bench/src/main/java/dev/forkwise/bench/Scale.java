package dev.forkwise.bench;

import dev.forkwise.Spawner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The suite's scale check: {@link ScaleCheck} run in a JVM of its own per contender and wiring,
 * 10,000 children asked for, fitted to the descriptor and process limits; {@code ProcessBuilder}
 * runs with the N forkwise reached in the same wiring, with pipes up to {@link #JDK_PIPED_CHILDREN}.
 * Each run's summary line, parsed, and the section of {@code docs/benchmarks.md} it makes.
 *
 * @param runs each run's {@code SCALE} summary as key to value, or {@code failed} with the reason
 */
record Scale(List<Map<String, String>> runs) {

    static final int CHILDREN = 10_000;

    /**
     * At most this many for {@code ProcessBuilder} with pipes: its start slows as the JVM's open
     * descriptors grow (on 2 shared cores, from 36 to 220 ms a start over 4,982 piped children,
     * while with the named pipe it stays flat over 10,000), so the piped 4,982 alone took 11 minutes;
     * its cost per child (a thread, two 8 KiB stream buffers and one for stdin) is plain at 2,000.
     */
    static final int JDK_PIPED_CHILDREN = 2_000;

    /**
     * A fixed heap, committed and touched at start: RSS then grows only by what is not heap (thread
     * stacks, native memory, kernel-side nothing), and the heap's growth is counted on its own.
     * 1 GiB holds the JDK's 24 KiB of stream buffers for each of 10,000 children.
     */
    static final List<String> HEAP = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");

    static Scale measure() throws IOException, InterruptedException {
        List<Map<String, String>> runs = new ArrayList<>();
        for (String wiring : List.of("pipes", "fifo")) {
            Map<String, String> forkwise = run("forkwise", CHILDREN, wiring);
            runs.add(forkwise);
            int n = Integer.parseInt(forkwise.getOrDefault("n", Integer.toString(CHILDREN)));
            runs.add(run("processBuilder", wiring.equals("pipes") ? Math.min(n, JDK_PIPED_CHILDREN) : n, wiring));
        }
        return new Scale(runs);
    }

    private static Map<String, String> run(String contender, int n, String wiring)
            throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", HEAP.get(0), HEAP.get(1), HEAP.get(2),
                "-cp", System.getProperty("java.class.path"),
                ScaleCheck.class.getName(), contender, Integer.toString(n), wiring, "fit");
        Process process = Spawner.start(new ProcessBuilder(command).redirectErrorStream(true));
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int status = process.waitFor();
        System.out.print(output);
        return summary(contender, wiring, status, output);
    }

    /** A run's last {@code SCALE} line as key to value, or {@code failed} with the last line it printed. */
    static Map<String, String> summary(String contender, String wiring, int status, String output) {
        Map<String, String> summary = new LinkedHashMap<>(Map.of("contender", contender, "wiring", wiring));
        String line = output.lines().filter(l -> l.startsWith("SCALE ")).reduce((a, b) -> b).orElse(null);
        if (line == null) {
            summary.put("failed", "exit " + status + ": " + output.strip().lines().reduce((a, b) -> b).orElse(""));
            return summary;
        }
        for (String pair : line.substring("SCALE ".length()).split(" ")) {
            int eq = pair.indexOf('=');
            summary.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return summary;
    }

    /** The "Scale" section of {@code docs/benchmarks.md}. */
    String markdown() {
        if (runs.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Scale\n\n");
        md.append("`ScaleCheck` (a one-shot program, not JMH) starts N children of `cat` that all stay alive ")
                .append("until released, each contender in a JVM of its own, and with all N alive counts the JVM's ")
                .append("threads (`/proc/self/task`), its resident memory (`VmRSS`), its heap used after ")
                .append("`System.gc()` and its open descriptors (`/proc/self/fd`). Per child is the growth from the ")
                .append("baseline after one warm-up child, divided by N; threads added are counted from before the ")
                .append("first start; the heap is fixed at 1 GiB, committed and touched at start, so RSS per child is ")
                .append("what is not heap (thread stacks, native memory) and heap per child is the rest. *pipes* is `new ProcessBuilder(\"cat\")` with its three default pipes, ")
                .append("released by closing each stdin; *fifo* reads one named pipe whose only writer the JVM ")
                .append("holds and discards its output, so the JVM keeps no descriptor per child beyond what the ")
                .append("contender needs to watch it. ").append(CHILDREN).append(" children are asked for, fitted to ")
                .append("`RLIMIT_NOFILE`, `RLIMIT_NPROC` and `kernel.pid_max` (the limit named when it bound N); ")
                .append("`ProcessBuilder` runs with forkwise's N, with pipes at most ").append(JDK_PIPED_CHILDREN)
                .append(": its start slows as the JVM's open descriptors grow (the last column), so thousands ")
                .append("of piped children take many minutes, and its cost per child is plain at that N. Leftovers are descriptors, threads and children ")
                .append("beyond the warm baseline once every child has exited (the JDK's idle reaper threads are ")
                .append("waited for up to 75 s: its pool keeps them 60 s). The time to start all N is informational, ")
                .append("with the mean time of a start in the first and the last tenth of them.\n\n");
        md.append("| contender | wiring | N (asked) | limited by | threads added | of them forkwise / JDK reaper | ")
                .append("RSS per child | heap per child | fds per child | exits 0 | leftover fds / threads / children | ")
                .append("start all N |\n");
        md.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, String> run : runs) {
            String name = run.get("contender").equals("forkwise") ? "forkwise" : "ProcessBuilder";
            if (run.containsKey("failed")) {
                md.append("| ").append(name).append(" | ").append(run.get("wiring")).append(" | failed: ")
                        .append(run.get("failed").replace('|', '/')).append(" | | | | | | | | | |\n");
                continue;
            }
            md.append("| ").append(name).append(" | ").append(run.get("wiring")).append(" | ")
                    .append(run.get("n")).append(" (").append(run.get("requested")).append(") | ")
                    .append(run.get("limitedBy").equals("-") ? "" : run.get("limitedBy") + " " + limit(run)).append(" | ")
                    .append(run.get("addedVsCold")).append(" | ")
                    .append(run.get("forkwiseThreads")).append(" / ").append(run.get("reaperThreads")).append(" | ")
                    .append(run.get("rssPerChildKiB")).append(" KiB | ")
                    .append(run.get("heapPerChildBytes")).append(" B | ")
                    .append(run.get("fdsPerChild")).append(" | ")
                    .append(run.get("exitsZero")).append(" of ").append(run.get("n")).append(" | ")
                    .append(run.get("leftoverFds")).append(" / ").append(run.get("leftoverThreads")).append(" / ")
                    .append(run.get("leftoverChildren")).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f s (%.1f → %.1f ms a start)",
                            Long.parseLong(run.get("startMs")) / 1000.0, Long.parseLong(run.get("firstTenthUs")) / 1000.0,
                            Long.parseLong(run.get("lastTenthUs")) / 1000.0))
                    .append(" |\n");
        }
        return md.toString();
    }

    /** The target as a row of the targets table: N alive at once with at most 4 threads added. */
    String target() {
        return runs.stream().filter(run -> run.get("contender").equals("forkwise") && !run.containsKey("failed"))
                .max(Comparator.comparingInt(run -> Integer.parseInt(run.get("n"))))
                .map(run -> {
                    boolean met = Integer.parseInt(run.get("n")) >= CHILDREN
                            && Integer.parseInt(run.get("addedVsCold")) <= 4
                            && run.get("exitsZero").equals(run.get("n"));
                    return "| " + CHILDREN + " concurrent children with ≤ 4 threads added | " + run.get("n")
                            + " children (" + run.get("wiring") + "), " + run.get("addedVsCold") + " threads added, "
                            + run.get("rssPerChildKiB") + " KiB RSS and " + run.get("fdsPerChild")
                            + " fds per child | " + (met ? "yes" : "no") + " |\n";
                })
                .orElse("");
    }

    private static String limit(Map<String, String> run) {
        return switch (run.get("limitedBy")) {
            case "RLIMIT_NOFILE" -> "(" + run.get("nofile") + ")";
            case "RLIMIT_NPROC" -> "(" + run.get("nproc") + ")";
            default -> "";
        };
    }
}
