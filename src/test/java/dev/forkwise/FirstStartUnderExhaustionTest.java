package dev.forkwise;

import dev.forkwise.bindings.Libc;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a first start that runs out of descriptors: it must fail with an
 * {@code IOException} (never an {@code Error}), leave no child, zombie, descriptor or thread behind
 * but the once-per-JVM watcher and cleaner, and decide nothing, so that the next start, with
 * descriptors back, works on {@code posix_spawn} with pidfds as if nothing had happened. Each case
 * is a fresh child JVM ({@code ulimit -n 64}) whose very first start finds {@code free}
 * descriptors; its classes are loaded beforehand without being initialised (a class from a
 * directory needs a descriptor to load), so that every initialisation happens under exhaustion.
 * With {@code lookup=ready}, the JDK's default symbol lookup was used before, so the first
 * failure is further on (the pidfd probe, the pipes, the event loop).
 */
@Tag("fallback-too")
@Tag("watcher")
class FirstStartUnderExhaustionTest {

    @ParameterizedTest(name = "free={0} lookup={1}")
    @CsvSource({"0,cold", "1,cold", "2,cold", "0,ready", "1,ready", "2,ready", "3,ready", "4,ready", "5,ready",
            "6,ready", "7,ready", "8,ready", "9,ready", "10,ready"})
    void aFirstStartWithoutDescriptorsFailsCleanlyAndDecidesNothing(int free, String lookup) throws Exception {
        List<String> lines = runProbe(free, lookup);

        boolean fallback = Boolean.getBoolean("dev.forkwise.forceFallback");
        String first = value(lines, "first");
        String pb = value(lines, "pb");
        assertThat(pb).as("ProcessBuilder, in the same state").matches("started exit=0|failed: IOException: .*");
        if (fallback) {
            // forkwise's start is ProcessBuilder's: its wording and what it leaves are the JDK's
            assertThat(first).matches("started exit=0|failed: IOException: .*");
        } else {
            assertThat(first).matches("started exit=0|failed: IOException: Cannot run program \"true\": .*Too many open files.*");
        }
        if (first.startsWith("failed") && !fallback) {
            assertThat(value(lines, "children")).as("children left by the failed start").isEqualTo("0");
            assertThat(value(lines, "zombies")).as("zombies left by the failed start").isEqualTo("0");
            Set<String> newThreads = Set.of(value(lines, "newThreads").split(",")).stream()
                    .filter(name -> !name.isEmpty()).collect(Collectors.toSet());
            assertThat(newThreads).as("threads left by the failed start").isSubsetOf("forkwise-watcher", "forkwise-cleaner");
            long extraDescriptors = Long.parseLong(value(lines, "newDescriptors"));
            assertThat(extraDescriptors).as("descriptors left by the failed start (the watcher's epoll and eventfd only)")
                    .isLessThanOrEqualTo(newThreads.contains("forkwise-watcher") ? 2 : 0);
        }
        assertThat(value(lines, "next")).as("the next start").isEqualTo("started exit=0");
        assertThat(value(lines, "launch")).isEqualTo(fallback ? "PROCESS_BUILDER" : "POSIX_SPAWN");
        if (!fallback && !"threads".equals(System.getProperty("dev.forkwise.exitWatcher"))) {
            assertThat(value(lines, "exitWatching")).as("exit watching after the failure").startsWith("pidfd");
        }
    }

    private static String value(List<String> lines, String key) {
        return lines.stream().filter(line -> line.startsWith(key + "=")).map(line -> line.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in\n" + String.join("\n", lines)));
    }

    private static List<String> runProbe(int free, String lookup) throws Exception {
        List<String> shell = new ArrayList<>(List.of("sh", "-c", "ulimit -n 64 && exec \"$@\"", "sh"));
        shell.addAll(childJvm(Probe.class, Integer.toString(free), lookup));
        Process probe = new ProcessBuilder(shell).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(probe.exitValue()).as(output).isZero();
        return output.lines().toList();
    }

    /**
     * {@return a command that runs {@code main} in a new JVM with this JVM's forkwise mode} (the
     * forced fallback or the exit watcher), and only the class path's directories, which
     * {@link OsProbe#loadWithoutInitialising} can list.
     */
    static List<String> childJvm(Class<?> main, String... args) {
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> new File(entry).isDirectory())
                .collect(Collectors.joining(File.pathSeparator));
        List<String> java = new ArrayList<>(OsProbe.javaCommand(main, args));
        java.set(java.indexOf("-cp") + 1, classPath);
        for (String property : List.of("dev.forkwise.forceFallback", "dev.forkwise.exitWatcher")) {
            String value = System.getProperty(property);
            if (value != null) {
                java.add(1, "-D" + property + "=" + value);
            }
        }
        return java;
    }

    /** The child JVM's program: {@code free} and {@code cold|ready}. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            int free = Integer.parseInt(args[0]);
            OsProbe.loadWithoutInitialising();
            if (args[1].equals("ready")) {
                Libc.has("strerror");   // the symbol lookup has loaded the C library before the exhaustion
            }
            OsProbe.zombieChildren();
            OsProbe.allThreads();
            long descriptors = OsProbe.openDescriptors();
            Set<String> threads = OsProbe.platformThreadNames();

            List<FileInputStream> hog = new ArrayList<>();
            fill(hog);
            for (int i = 0; i < free; i++) {
                hog.removeLast().close();
            }
            String first = outcome(() -> Spawner.start(new ProcessBuilder("true")));
            String pb = outcome(() -> new ProcessBuilder("true").start());
            for (FileInputStream stream : hog) {
                stream.close();
            }
            System.out.println("first=" + first);
            System.out.println("pb=" + pb);
            System.out.println("children=" + ProcessHandle.current().children().count());
            System.out.println("zombies=" + OsProbe.zombieChildren().size());
            Set<String> newThreads = OsProbe.platformThreadNames();
            newThreads.removeAll(threads);
            newThreads.removeIf(name -> name.equals("process reaper"));   // ProcessBuilder's, reused
            System.out.println("newThreads=" + String.join(",", newThreads));
            System.out.println("newDescriptors=" + (OsProbe.openDescriptors() - descriptors));
            System.out.println("next=" + outcome(() -> Spawner.start(new ProcessBuilder("true"))));
            System.out.println("launch=" + Spawner.mechanism().launch());
            System.out.println("exitWatching=" + Spawner.mechanism().exitWatching());
        }

        private interface Start {
            Process start() throws IOException;
        }

        private static String outcome(Start start) {
            try {
                return "started exit=" + start.start().waitFor();
            } catch (Throwable t) {
                return "failed: " + t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }

        private static void fill(List<FileInputStream> hog) {
            try {
                while (true) {
                    hog.add(new FileInputStream("/dev/null"));
                }
            } catch (IOException full) {
                // the table is full
            }
        }
    }
}
