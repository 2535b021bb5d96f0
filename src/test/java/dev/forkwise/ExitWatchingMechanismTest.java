package dev.forkwise;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a mechanism report that does not match the mechanism: {@code Spawner.mechanism()}
 * must say how exits are watched in the JVM it runs in. Two fresh JVMs, one with the default and one
 * with {@code -Ddev.forkwise.exitWatcher=threads}, each start {@value #CHILDREN} children that wait
 * on their stdin and report what they cost (threads, platform and virtual, and pidfds) beside what
 * the mechanism says; the report must name what was observed.
 */
class ExitWatchingMechanismTest {

    private static final int CHILDREN = 20;

    @Test
    void byDefaultExitsAreWatchedThroughPidfdsOnOneThreadAndTheMechanismSaysSo() throws Exception {
        Map<String, String> seen = probe();

        assertThat(Integer.parseInt(seen.get("threads"))).as("threads added by %d waiting children", CHILDREN)
                .isLessThanOrEqualTo(2);
        assertThat(Integer.parseInt(seen.get("pidfds"))).as("pidfds opened for %d children", CHILDREN).isEqualTo(CHILDREN);
        assertThat(seen.get("exitWatching")).startsWith("pidfd + epoll on one watcher thread");
        assertThat(seen.get("mechanism")).matches("(pidfd_spawn|posix_spawn \\+ pidfd_open) \\(glibc .*")
                .contains("exits: pidfd + epoll on one watcher thread");
    }

    @Test
    void withTheThreadsWatcherEachChildHasAThreadAndNoPidfdAndTheMechanismSaysSo() throws Exception {
        Map<String, String> seen = probe("-Ddev.forkwise.exitWatcher=threads");

        // one per child, but for the idle reaper that the warm-up's child left behind, which is reused
        assertThat(Integer.parseInt(seen.get("threads"))).as("threads added by %d waiting children", CHILDREN)
                .isGreaterThanOrEqualTo(CHILDREN - 1);
        assertThat(Integer.parseInt(seen.get("pidfds"))).as("pidfds opened").isZero();
        assertThat(seen.get("exitWatching")).startsWith("one waiting thread per child");
        assertThat(seen.get("mechanism")).startsWith("posix_spawn (glibc ").contains("exits: one waiting thread per child");
    }

    private static Map<String, String> probe(String... options) throws Exception {
        List<String> command = new ArrayList<>(OsProbe.javaCommand(Probe.class));
        command.addAll(1, List.of(options));
        Process java = Spawner.start(new ProcessBuilder(command).redirectErrorStream(true));
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as(output).isZero();
        Map<String, String> seen = output.lines().filter(line -> line.matches("\\w+=.*"))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                        line -> line.substring(line.indexOf('=') + 1), (first, second) -> second));
        assertThat(seen).as(output).containsKeys("threads", "pidfds", "exitWatching", "mechanism");
        return seen;
    }

    /** The fresh JVM's program: {@value #CHILDREN} children waiting on their stdin, and what they cost. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Spawner.start(new ProcessBuilder("true")).waitFor();   // the library's own threads exist from here
            int threads = OsProbe.allThreads();
            long pidfds = OsProbe.openPidfds();
            List<Process> children = new ArrayList<>();
            for (int i = 0; i < CHILDREN; i++) {
                children.add(Spawner.start(new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD)));
            }
            System.out.println("threads=" + (OsProbe.allThreads() - threads));
            System.out.println("pidfds=" + (OsProbe.openPidfds() - pidfds));
            System.out.println("exitWatching=" + Spawner.mechanism().exitWatching());
            System.out.println("mechanism=" + Spawner.mechanism());
            for (Process child : children) {
                child.getOutputStream().close();
                if (child.waitFor() != 0) {
                    throw new AssertionError("a child exited with " + child.exitValue());
                }
            }
        }
    }

}
