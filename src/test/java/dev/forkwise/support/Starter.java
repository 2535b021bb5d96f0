package dev.forkwise.support;

import java.io.IOException;

/** Starts a process: {@code ProcessBuilder::start}, the oracle, or {@code Spawner::start}, the code under test. */
@FunctionalInterface
public interface Starter {
    /** {@return the started process of {@code builder}'s command} */
    Process start(ProcessBuilder builder) throws IOException;
}
