package dev.forkwise.agent;

import dev.forkwise.support.WriteThenExec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard the agent exists for: code that calls {@code ProcessBuilder.start()} itself, and so
 * races every other thread's writes, and whose children, made by the JDK's launcher, hold the
 * descriptors that fail forkwise's own starts. One run: the same program of 20 threads
 * ({@link WholeJvmRace}) hits ETXTBSY on the plain JDK, never under the agent, and a JVM that
 * mixes {@code ProcessBuilder} and {@code Spawner} threads never either.
 */
@Tag("agent")
class WholeJvmEtxtbsyTest {

    private static final String THREADS = "20";
    private static final String ITERATIONS = "100";

    @Test
    void aProgramThatOnlyUsesProcessBuilderHitsEtxtbsyWithoutTheAgentAndNeverWithIt(@TempDir Path dir) throws Exception {
        ChildJvm.Output routed = ChildJvm.run(ChildJvm.withAgent(), WholeJvmRace.class, "full", THREADS, ITERATIONS,
                dir.toString());
        long[] agent = counts(routed.value("processBuilder: "));

        assertThat(agent[1]).as("ETXTBSY under the agent").isZero();
        assertThat(agent[2]).as("other failures under the agent").isZero();
        assertThat(agent[0]).isEqualTo(20 * 100);
        assertThat(routed.value("routed: ")).isEqualTo("2000");

        // The control, after: without the agent the same program must race, or the above proves nothing here
        WriteThenExec.skipUnlessTheRaceCanShow(dir);
        long[] plain = counts(ChildJvm.run(List.of(), WholeJvmRace.class, "control", THREADS, ITERATIONS,
                dir.toString()).value("processBuilder: "));
        assertThat(plain[1]).as("ETXTBSY without the agent, in %d starts", plain[0]).isPositive();
    }

    @Test
    void aJvmMixingProcessBuilderAndSpawnerThreadsNeverHitsEtxtbsyInEither(@TempDir Path dir) throws Exception {
        ChildJvm.Output mixed = ChildJvm.run(ChildJvm.withAgent(), WholeJvmRace.class, "mixed", THREADS, ITERATIONS,
                dir.toString());

        assertThat(counts(mixed.value("processBuilder: "))).as("ProcessBuilder threads: starts, ETXTBSY, other")
                .containsExactly(1000, 0, 0);
        assertThat(counts(mixed.value("spawner: "))).as("Spawner threads: starts, ETXTBSY, other")
                .containsExactly(1000, 0, 0);
        // only the ProcessBuilder threads' starts go through the agent; Spawner's go to forkwise directly
        assertThat(mixed.value("routed: ")).isEqualTo("1000");
    }

    private static long[] counts(String line) {
        return Arrays.stream(line.split(" ")).mapToLong(Long::parseLong).toArray();
    }
}
