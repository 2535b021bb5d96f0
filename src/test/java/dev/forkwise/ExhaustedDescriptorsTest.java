package dev.forkwise;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A start in a process that has run out of descriptors fails with a clear {@code IOException} and
 * gives back every descriptor it took. Runs in a child JVM with {@code ulimit -n 128}, which fills
 * its table, then frees 0 to 7 descriptors, starts a child with three pipes (which needs 6), and
 * counts how many descriptors it can open again afterwards: exactly as many as it freed, or one
 * leaked.
 */
class ExhaustedDescriptorsTest {

    @Test
    void startsWithTooFewDescriptorsFailCleanly() throws Exception {
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> new File(entry).isDirectory())
                .collect(Collectors.joining(File.pathSeparator));
        List<String> java = new ArrayList<>(OsProbe.javaCommand(Probe.class));
        java.set(java.indexOf("-cp") + 1, classPath);
        String command = "ulimit -n 128 && exec \"$@\"";
        List<String> shell = new ArrayList<>(List.of("sh", "-c", command, "sh"));
        shell.addAll(java);

        Process probe = Spawner.start(new ProcessBuilder(shell).redirectErrorStream(true));
        List<String> lines = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(probe.waitFor()).as(String.join("\n", lines)).isZero();

        assertThat(lines).hasSize(8).allSatisfy(line -> assertThat(line).matches(
                "free=(\\d) (started exit=0|failed: Cannot run program \"cat\": .*error(: |=)24.*) reopened=\\1 zombies=0"));
        assertThat(lines.getFirst()).contains("failed");
        assertThat(lines.getLast()).contains("started");
    }

    /** The child JVM's program. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            // Load every class while descriptors remain (classes from a directory need one each),
            // and start once, so that this test is about later starts (FirstStartUnderExhaustionTest: the first).
            OsProbe.loadWithoutInitialising();
            Spawner.start(new ProcessBuilder("true")).waitFor();
            try {
                Spawner.start(new ProcessBuilder("forkwise-no-such-program"));
            } catch (IOException expected) {
                // the failure path is loaded too
            }
            OsProbe.zombieChildren();
            List<FileInputStream> hog = new ArrayList<>();
            fill(hog);
            for (int free = 0; free <= 7; free++) {
                for (int i = 0; i < free; i++) {
                    hog.removeLast().close();
                }
                String outcome;
                try {
                    Process cat = Spawner.start(new ProcessBuilder("cat"));
                    cat.getOutputStream().close();
                    cat.getInputStream().close();
                    cat.getErrorStream().close();
                    outcome = "started exit=" + cat.waitFor();
                } catch (IOException e) {
                    outcome = "failed: " + e.getMessage();
                }
                int reopened = fill(hog);
                for (int i = 0; i < 3; i++) {
                    hog.removeLast().close();   // room to list /proc
                }
                int zombies = OsProbe.zombieChildren().size();
                fill(hog);
                System.out.println("free=" + free + " " + outcome + " reopened=" + reopened + " zombies=" + zombies);
            }
        }

        private static int fill(List<FileInputStream> hog) {
            int opened = 0;
            try {
                while (true) {
                    hog.add(new FileInputStream("/dev/null"));
                    opened++;
                }
            } catch (IOException full) {
                return opened;
            }
        }
    }
}
