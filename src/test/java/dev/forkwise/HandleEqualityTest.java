package dev.forkwise;

import dev.forkwise.support.Gate;
import dev.forkwise.support.Starter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a child's handle that is not equal to the JDK's handle for its pid:
 * {@code ProcessHandle.current().children().contains(p.toHandle())} was false, and so was a
 * set of the JDK's handles' {@code contains}. Runs with {@code ProcessBuilder}, the oracle, and
 * forkwise side by side, while the child is held alive.
 */
@Tag("parity")
class HandleEqualityTest {

    @TempDir
    Path dir;

    @Test
    void aChildsHandleIsFoundAmongTheJdksHandlesForItsPid() throws Exception {
        List<String> jdk = observe(ProcessBuilder::start);
        List<String> forkwise = observe(Spawner::start);

        List<String> expected = List.of("children contain it true", "set of children contains it true",
                "equals of(pid) true", "same hash true");
        assertThat(jdk).as("ProcessBuilder, the oracle").containsExactlyElementsOf(expected);
        assertThat(forkwise).as("forkwise").containsExactlyElementsOf(expected);
    }

    private List<String> observe(Starter starter) throws Exception {
        try (Gate gate = Gate.in(dir)) {
            Process process = starter.start(new ProcessBuilder(gate.thenRun("exit 0")));
            try {
                ProcessHandle handle = process.toHandle();
                ProcessHandle jdks = ProcessHandle.of(process.pid()).orElseThrow();
                Set<ProcessHandle> children = new HashSet<>(ProcessHandle.current().children().toList());
                return List.of(
                        "children contain it " + ProcessHandle.current().children().toList().contains(handle),
                        "set of children contains it " + children.contains(handle),
                        "equals of(pid) " + handle.equals(jdks),
                        "same hash " + (handle.hashCode() == jdks.hashCode()));
            } finally {
                gate.release(1);
                process.waitFor();
            }
        }
    }
}
