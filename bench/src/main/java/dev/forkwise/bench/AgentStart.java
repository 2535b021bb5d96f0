package dev.forkwise.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the agent costs a JVM: {@code bench/agentstart.sh} run from the suite, its medians parsed,
 * and the section of {@code docs/benchmarks.md} they make. Whole {@code java} runs, alternating:
 * a program that starts no process, plain, with an empty agent and with forkwise's; and a first
 * start through {@code ProcessBuilder} plain, through {@code Spawner.start}, and through
 * {@code ProcessBuilder} routed by the agent. Not JMH: a JMH fork runs JMH's harness, which would
 * hide what an agent costs a JVM's start-up.
 *
 * @param runs     the runs of each, alternating
 * @param medians  each run's name to its medians in ms: the first start's own time, the whole run
 * @param machine  the load line the script printed
 */
record AgentStart(int runs, Map<String, double[]> medians, String machine) {

    /** Runs the script from the repository's root (where the suite runs) and parses its table. */
    static AgentStart measure(boolean full) throws IOException, InterruptedException {
        int runs = full ? 25 : 7;
        String output = Suite.runC("agent start-up", "bash", "bench/agentstart.sh", Integer.toString(runs));
        Map<String, double[]> medians = new LinkedHashMap<>();
        String machine = "";
        for (String line : output.lines().toList()) {
            String[] fields = line.trim().split("\\s+");
            if (line.startsWith("machine:")) {
                machine = line.substring("machine: ".length());
            } else if (fields.length == 3 && fields[0].matches("(idle|classes|first)-\\w+")) {
                medians.put(fields[0], new double[] {Double.parseDouble(fields[1]), Double.parseDouble(fields[2])});
            }
        }
        return new AgentStart(runs, medians, machine);
    }

    /** {@return the section of {@code docs/benchmarks.md}}, empty without a measurement */
    String markdown() {
        if (!medians.containsKey("idle-forkwiseAgent")) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## The agent\n\n");
        md.append("`bench/agentstart.sh ").append(runs).append("`: whole `java` runs of one small program, ")
                .append(runs).append(" of each, alternating, medians (").append(machine).append("). *idle* starts ")
                .append("no process: plain, with an empty agent (a `premain` that ")
                .append("does nothing: what the JVM's own `-javaagent` machinery costs any agent) and with ")
                .append("`-javaagent:forkwise.jar`; *classes* is the same JVM loading about 1,900 classes (`javax.swing`), ")
                .append("as a large application does, which would show a cost per class load. *first* starts one `/bin/true`: through `ProcessBuilder.start()` ")
                .append("on the plain JDK, through `Spawner.start` without the agent, and through ")
                .append("`ProcessBuilder.start()` routed by the agent; the first start is its own time inside the JVM.\n\n");
        md.append("| run | first start | whole JVM |\n|---|---:|---:|\n");
        medians.forEach((name, value) -> md.append("| ").append(name).append(" | ")
                .append(name.startsWith("first") ? ms(value[0]) : "").append(" | ").append(ms(value[1])).append(" |\n"));
        md.append("\nforkwise's agent over the empty agent: ").append(ms(agentShare()))
                .append("; the empty agent over none: ").append(ms(whole("idle-emptyAgent") - whole("idle-plain")))
                .append(". Loading 1,900 classes, forkwise's agent over the empty agent: ")
                .append(ms(whole("classes-forkwiseAgent") - whole("classes-emptyAgent")))
                .append(". The first routed start over `Spawner.start`'s first: ").append(ms(first("first-routedProcessBuilder")
                        - first("first-spawner"))).append(" (the prologue finding the route, and the agent's own classes; ")
                .append("differences of a few tens of ms are within this machine's noise from run to run).\n");
        return md.toString();
    }

    /** {@return the rows of the targets table} */
    String target() {
        if (!medians.containsKey("idle-forkwiseAgent")) {
            return "";
        }
        double share = agentShare();
        double routed = first("first-routedProcessBuilder") / first("first-processBuilder");
        return "| a JVM with the agent that starts no process: ≤ 20 ms of start-up | " + ms(share)
                + " over an empty agent (which costs " + ms(whole("idle-emptyAgent") - whole("idle-plain"))
                + " over none), no thread | " + (share <= 20 ? "yes" : "no") + " |\n"
                + "| first routed start within 2× of ProcessBuilder's (the cold-start target) | "
                + String.format(Locale.ROOT, "%.2f×", routed) + " (Spawner.start's first: "
                + String.format(Locale.ROOT, "%.2f×", first("first-spawner") / first("first-processBuilder")) + ") | "
                + (routed <= 2 ? "yes" : "no") + " |\n";
    }

    private double agentShare() {
        return whole("idle-forkwiseAgent") - whole("idle-emptyAgent");
    }

    private double whole(String name) {
        return medians.get(name)[1];
    }

    private double first(String name) {
        return medians.get(name)[0];
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.0f ms", value);
    }

    /** Measures and prints the section and the target rows, for a page written without the whole suite. */
    public static void main(String[] args) throws Exception {
        AgentStart start = measure(args.length > 0 && args[0].equals("full"));
        System.out.print(start.markdown());
        System.out.println();
        System.out.print(start.target());
    }
}
