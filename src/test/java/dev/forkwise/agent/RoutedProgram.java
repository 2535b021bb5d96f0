package dev.forkwise.agent;

import dev.forkwise.RoutingAgent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A child JVM's program for the agent's tests: starts processes every way the JDK offers and
 * prints what it got, one {@code key: value} line each, then the agent's state and counts.
 *
 * <p>Arguments: {@code fallback-after-premain} forces forkwise's fallback once the agent has
 * started, so that forkwise hands each start back to {@code ProcessBuilder};
 * {@code wait-for-attach} first makes one start, prints {@code ready}, and waits for a line on
 * standard input, so that an agent can be attached to a JVM that has loaded {@code ProcessBuilder}.
 */
public final class RoutedProgram {

    private RoutedProgram() {
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        if (options.contains("fallback-after-premain")) {
            System.setProperty("dev.forkwise.forceFallback", "true");
        }
        if (options.contains("wait-for-attach")) {
            new ProcessBuilder("true").start().waitFor();
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        Process start = new ProcessBuilder("sh", "-c", "echo out; echo err >&2; exit 3").start();
        System.out.println("start: " + text(start) + " exit " + start.waitFor());
        System.out.println("start class: " + start.getClass().getName());
        Process exec = Runtime.getRuntime().exec(new String[] {"sh", "-c", "echo exec"});
        System.out.println("exec: " + text(exec) + " exit " + exec.waitFor());
        System.out.println("exec class: " + exec.getClass().getName());
        List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
                new ProcessBuilder("printf", "b\\na\\nb\\n"), new ProcessBuilder("sort", "-u")));
        System.out.println("pipeline: " + text(pipeline.getLast()).replace('\n', ' ') + " exit "
                + pipeline.getLast().waitFor());
        System.out.println("pipeline class: " + pipeline.getLast().getClass().getName());
        try {
            new ProcessBuilder("/nonexistent/program").start();
            System.out.println("missing: started");
        } catch (IOException e) {
            System.out.println("missing: " + e.getMessage());
        }
        System.out.println("active: " + RoutingAgent.isActive());
        System.out.println("state: " + RoutingAgent.state());
        System.out.println("routed: " + RoutingAgent.routedStarts());
        System.out.println("passed through: " + RoutingAgent.passedThroughStarts());
    }

    private static String text(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()
                + " / " + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
