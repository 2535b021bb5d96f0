package dev.forkwise.bench;

import dev.forkwise.Spawner;

import java.io.IOException;

/** The ways of starting a process the benchmarks compare. */
public enum Contender {
    /** {@code Spawner.start(builder)}. */
    FORKWISE {
        @Override
        public Process start(ProcessBuilder builder) throws IOException {
            return Spawner.start(builder);
        }
    },
    /** {@code builder.start()} with the JDK's launch mechanism of the benchmark JVM. */
    PROCESS_BUILDER {
        @Override
        public Process start(ProcessBuilder builder) throws IOException {
            return builder.start();
        }
    };

    /** Starts {@code builder}'s command. */
    public abstract Process start(ProcessBuilder builder) throws IOException;
}
