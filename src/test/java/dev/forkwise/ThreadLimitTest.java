package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The hazard of a start at the thread limit ({@code RLIMIT_NPROC}, which counts every thread of
 * the user): a spawn the kernel refuses with {@code EAGAIN}, or a child that was created while the
 * thread forkwise needs next (the cleaner, the watcher, a reaper) cannot start. Either must be an
 * {@code IOException} in the JDK's wording that leaves no child, zombie or thread behind, and the
 * next start, once the limit is raised, must work. The limit binds only an unprivileged user, so
 * the child JVM runs as {@code nobody} ({@code setpriv}), with no JIT and the serial collector, so
 * that it starts no thread of its own while it waits; this test lowers and raises its limit with
 * {@code prlimit --pid} between its steps.
 */
@Tag("fallback-too")
@Tag("watcher")
class ThreadLimitTest {

    private static final int NOBODY = 65534;
    private static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");

    @Test
    void aStartAtTheThreadLimitFailsCleanlyAndTheNextStartWorks() throws Exception {
        assumeThat(ProcessHandle.current().info().user().orElse("")).as("needs root to run a JVM as nobody").isEqualTo("root");
        List<String> java = FirstStartUnderExhaustionTest.childJvm(Probe.class);
        java.addAll(1, List.of("-Xint", "-XX:+UseSerialGC"));
        List<String> command = new ArrayList<>(AS_NOBODY);
        command.addAll(java);
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = jvm.getOutputStream()) {
            String limitNow = readUntil(out, lines, "ready");
            assumeThat(limitNow).as("the child JVM did not start as nobody: " + lines).isNotNull();
            limitThreads(jvm.pid(), 0);
            go(in);
            readUntil(out, lines, "step");
            limitThreads(jvm.pid(), 1);
            go(in);
            readUntil(out, lines, "step");
            setLimit(jvm.pid(), hardLimit(jvm.pid()));
            go(in);
            readUntil(out, lines, "done");
        }
        assertThat(jvm.waitFor()).as(String.join("\n", lines)).isZero();

        boolean fallback = Boolean.getBoolean("dev.forkwise.forceFallback");
        String busy = "failed: IOException: Cannot run program \"true\": .*(error=11|error: 11 ).*";
        assertThat(value(lines, "none.first")).as(describe("no thread left: the spawn is refused", lines)).matches(busy);
        assertThat(value(lines, "none.first")).as(describe("as ProcessBuilder words it", lines)).isEqualTo(value(lines, "none.pb"));
        if (!fallback) {
            assertThat(value(lines, "one.first")).as(describe("one thread left: the child, but not the thread after it", lines)).matches(busy);
        }
        for (String step : List.of("none", "one")) {
            if (fallback && step.equals("one")) {
                continue;   // ProcessBuilder's own start: what it leaves is the JDK's
            }
            assertThat(value(lines, step + ".children")).as(describe(step + ": children left", lines)).isEqualTo("0");
            assertThat(value(lines, step + ".zombies")).as(describe(step + ": zombies left", lines)).isEqualTo("0");
            assertThat(value(lines, step + ".newThreads")).as(describe(step + ": threads left", lines)).isEmpty();
        }
        assertThat(value(lines, "next")).as("the next start, the limit raised").isEqualTo("started exit=0");
        assertThat(value(lines, "launch")).isEqualTo(fallback ? "PROCESS_BUILDER" : "POSIX_SPAWN");
    }

    private static String value(List<String> lines, String key) {
        return lines.stream().filter(line -> line.startsWith(key + "=")).map(line -> line.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in\n" + String.join("\n", lines)));
    }

    private static String describe(String what, List<String> lines) {
        return what + ", in\n" + String.join("\n", lines) + "\n";
    }

    private static String readUntil(BufferedReader out, List<String> lines, String marker) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            lines.add(line);
            if (line.equals(marker)) {
                return line;
            }
        }
        return null;
    }

    private static void go(OutputStream in) throws IOException {
        in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    /** Sets the limit of {@code pid} to the threads its user has now, plus {@code free}. */
    private static void limitThreads(long pid, int free) throws Exception {
        setLimit(pid, Long.toString(tasksOfNobody() + free));
    }

    private static void setLimit(long pid, String limit) throws Exception {
        // As nobody, who may set its own soft limit (root without CAP_SYS_RESOURCE may not set
        // another user's); the hard limit stays, so that the soft one can be raised back to it.
        Process prlimit = new ProcessBuilder(AS_NOBODY.get(0), AS_NOBODY.get(1), AS_NOBODY.get(2), AS_NOBODY.get(3),
                "prlimit", "--pid", Long.toString(pid), "--nproc=" + limit + ":")
                .redirectErrorStream(true).start();
        String output = new String(prlimit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(prlimit.waitFor()).as("prlimit: " + output).isZero();
    }

    /** {@return the hard limit of {@code pid}'s processes and threads} */
    private static String hardLimit(long pid) throws IOException {
        String line = Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits")).stream()
                .filter(l -> l.startsWith("Max processes")).findFirst().orElseThrow();
        return line.substring("Max processes".length()).trim().split("\\s+")[1];
    }

    /** {@return how many threads of every process belong to the user nobody} */
    private static long tasksOfNobody() throws IOException {
        long count = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try (Stream<Path> tasks = Files.list(process.resolve("task"))) {
                    for (Path task : (Iterable<Path>) tasks::iterator) {
                        if (Files.readAllLines(task.resolve("status")).stream()
                                .anyMatch(line -> line.matches("Uid:\\s+" + NOBODY + "\\s.*"))) {
                            count++;
                        }
                    }
                } catch (IOException gone) {
                    // the process or thread ended meanwhile
                }
            }
        }
        return count;
    }

    /** The child JVM's program: one step per "go" line on its input. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            OsProbe.loadWithoutInitialising();
            OsProbe.zombieChildren();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            Set<String> threads = OsProbe.platformThreadNames();
            System.out.println("ready");
            in.readLine();
            step("none", threads);
            System.out.println("step");
            in.readLine();
            step("one", threads);
            System.out.println("step");
            in.readLine();
            System.out.println("next=" + outcome(true));
            System.out.println("launch=" + Spawner.mechanism().launch());
            System.out.println("done");
        }

        private static void step(String name, Set<String> threads) {
            System.out.println(name + ".first=" + outcome(true));
            System.out.println(name + ".children=" + ProcessHandle.current().children().count());
            System.out.println(name + ".zombies=" + OsProbe.zombieChildren().size());
            Set<String> now = OsProbe.platformThreadNames();
            now.removeAll(threads);
            System.out.println(name + ".newThreads=" + String.join(",", now));
            System.out.println(name + ".pb=" + outcome(false));   // last: what ProcessBuilder leaves is not counted
        }

        private static String outcome(boolean forkwise) {
            try {
                ProcessBuilder builder = new ProcessBuilder("true");
                return "started exit=" + (forkwise ? Spawner.start(builder) : builder.start()).waitFor();
            } catch (Throwable t) {
                return "failed: " + t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
    }
}
