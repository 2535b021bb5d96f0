package dev.forkwise.agent;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of an agent in every JVM: start-up paid by programs that never start a process, in
 * threads, native code, logging or JFR machinery. Invariant 4 of the
 * {@linkplain dev.forkwise.agent package essay}. The time is measured in {@code docs/benchmarks.md};
 * this test counts what the time would be spent on.
 */
@Tag("agent")
class AgentStartupTest {

    @Test
    void aJvmThatStartsNoProcessGetsNoThreadAndLoadsOnlyTheCheckAndThePatch(@TempDir Path dir) throws Exception {
        Path plainLog = dir.resolve("plain.log");
        Path agentLog = dir.resolve("agent.log");
        ChildJvm.Output plain = ChildJvm.run(List.of("-Xlog:class+load:file=" + plainLog), IdleProgram.class);
        ChildJvm.Output agent = ChildJvm.run(Stream.concat(ChildJvm.withAgent().stream(),
                Stream.of("-Xlog:class+load:file=" + agentLog)).toList(), IdleProgram.class);

        assertThat(agent.value("threads: ")).as("the agent's JVM's threads").isEqualTo(plain.value("threads: "));
        List<String> loaded = classes(agentLog);
        assertThat(loaded).filteredOn(name -> name.startsWith("dev.forkwise.") && !name.equals(IdleProgram.class.getName()))
                .as("forkwise's classes loaded without a start")
                .containsExactlyInAnyOrder("dev.forkwise.RoutingAgent", "dev.forkwise.agent.Routing",
                        "dev.forkwise.spawn.SpawnSupport", "dev.forkwise.agent.ProcessBuilderTransformer",
                        "dev.forkwise.agent.PrologueInjector", "dev.forkwise.agent.PrologueInjector$Hook",
                        "dev.forkwise.agent.ConstantPool");
        java.util.Set<String> plainClasses = java.util.Set.copyOf(classes(plainLog));
        List<String> added = loaded.stream().filter(name -> !plainClasses.contains(name)).toList();
        assertThat(added).as("classes the agent's JVM loaded beyond the plain JVM's")
                .noneMatch(name -> name.startsWith("java.lang.foreign.") || name.startsWith("jdk.internal.foreign.")
                        || name.startsWith("java.util.logging.") || name.startsWith("jdk.internal.logger.")
                        || name.startsWith("jdk.jfr."));
        // patched at start-up, so that no transformer stays to slow every later class load
        assertThat(loaded).contains("java.lang.ProcessBuilder");
    }

    /** {@return the names of the classes in a {@code -Xlog:class+load} file} */
    private static List<String> classes(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains(" source: ")).map(line -> line.replaceAll(".*\\] (\\S+) source: .*", "$1"))
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
