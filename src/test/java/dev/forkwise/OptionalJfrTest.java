package dev.forkwise;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a hard dependency on JFR: in a JVM without {@code jdk.jfr} (a {@code java.base}
 * image, {@code --limit-modules java.base}) nothing started, and in every JVM the first start
 * loaded JFR's event machinery although nothing was recording. Each case runs a child JVM whose
 * program starts {@code /bin/true} through forkwise and waits for its exit, fails to start a
 * missing program, and lets a deadline signal a child: every place that records an event. That
 * JVM's JFR events still reach a recording is {@code VirtualThreadReadTest}'s last check; each
 * event's fields, {@code UnrecordedLifecycleTest}'s.
 */
class OptionalJfrTest {

    /** The child JVM's program, compiled here into the unnamed package, so that the module path can be tried too. */
    private static final String PROBE = """
            public class StartTrue {
                public static void main(String[] args) throws Exception {
                    Process child = dev.forkwise.Spawner.start(new ProcessBuilder("/bin/true"));
                    System.out.println("exit " + child.waitFor() + " via " + dev.forkwise.Spawner.mechanism());
                    try {
                        dev.forkwise.Spawner.start(new ProcessBuilder("/nonexistent/program"));
                    } catch (java.io.IOException expected) {
                        System.out.println("failed start");
                    }
                    // a deadline's signals: SIGTERM, ignored once the trap is set, then SIGKILL
                    Process timed = dev.forkwise.Spawner.start(new ProcessBuilder("sh", "-c", "trap '' TERM; read line"),
                            dev.forkwise.SpawnOptions.defaults().withTimeout(java.time.Duration.ofMillis(300),
                                    java.time.Duration.ofMillis(100)));
                    System.out.println("deadline exit " + timed.waitFor());
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void withoutJdkJfrOnTheClassPathChildrenStillStartWithPosixSpawn() throws Exception {
        List<String> output = run(List.of("--limit-modules", "java.base", "--enable-native-access=ALL-UNNAMED",
                "-cp", library() + File.pathSeparator + probe(), "StartTrue"));

        assertThat(output).anyMatch(line -> line.startsWith("exit 0 via posix_spawn"))
                .contains("failed start").anyMatch(line -> line.startsWith("deadline exit "));
    }

    @Test
    void withoutJdkJfrOnTheModulePathChildrenStillStartWithPosixSpawn() throws Exception {
        List<String> output = run(List.of("--limit-modules", "java.base", "--enable-native-access=dev.forkwise",
                "--module-path", library().toString(), "--add-modules", "dev.forkwise", "-cp", probe().toString(),
                "StartTrue"));

        assertThat(output).anyMatch(line -> line.startsWith("exit 0 via posix_spawn"))
                .contains("failed start").anyMatch(line -> line.startsWith("deadline exit "));
    }

    @Test
    void withoutARecordingAStartLoadsNoJfrEventMachinery() throws Exception {
        List<String> output = run(List.of("-Xlog:class+load", "--enable-native-access=ALL-UNNAMED",
                "-cp", library() + File.pathSeparator + probe(), "StartTrue"));

        assertThat(output).anyMatch(line -> line.startsWith("exit 0 via posix_spawn"))
                .contains("failed start").anyMatch(line -> line.startsWith("deadline exit "));
        // The one class allowed is jdk.jfr.FlightRecorder, which says whether the recorder has started.
        assertThat(output.stream().filter(line -> line.contains(" jdk.jfr.")).map(OptionalJfrTest::className))
                .as("jdk.jfr classes loaded").containsOnly("jdk.jfr.FlightRecorder");
    }

    /** {@return the classes or jar of the library itself} */
    private static Path library() throws Exception {
        return Path.of(Spawner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private Path probe() throws Exception {
        Path classes = dir.resolve("probe");
        if (Files.isDirectory(classes)) {
            return classes;
        }
        Path source = Files.writeString(Files.createDirectories(dir.resolve("src")).resolve("StartTrue.java"), PROBE);
        Process javac = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "--release", "22", "-cp", library().toString(), "-d", classes.toString(), source.toString())
                .redirectErrorStream(true).start();
        String errors = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(javac.waitFor()).as("javac of the probe: " + errors).isZero();
        return classes;
    }

    /** Runs {@code java options...}, and {@return its output lines}, once it has exited 0. */
    private static List<String> run(List<String> options) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.addAll(options);
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(jvm.exitValue()).as(output).isZero();
        return output.lines().toList();
    }

    /** {@return the class name in a {@code -Xlog:class+load} line} */
    private static String className(String line) {
        String[] words = line.substring(line.indexOf("] ") + 2).trim().split(" ");
        return words[0];
    }
}
