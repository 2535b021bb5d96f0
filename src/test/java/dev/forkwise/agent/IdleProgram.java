package dev.forkwise.agent;

import java.util.TreeSet;

/** A child JVM's program for {@code AgentStartupTest}: starts no process, prints its threads' names. */
public final class IdleProgram {

    private IdleProgram() {
    }

    public static void main(String[] args) {
        TreeSet<String> names = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            names.add(thread.getName());
        }
        System.out.println("threads: " + String.join(",", names));
    }
}
