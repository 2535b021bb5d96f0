package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a start that the {@code java.lang.ProcessBuilder} {@link System.Logger} does not
 * see: JDK 21 and later log every {@code ProcessBuilder.start()} there, at {@code DEBUG} with the
 * program, at {@code TRACE} with every argument, and tools that audit process starts rely on it.
 * A child JVM, its logger configured through {@code java.util.logging}, starts the same command
 * with {@code ProcessBuilder}, the oracle, then with forkwise (delegating too, in the fallback
 * run, where the record must not be written twice); each start must leave one identical record.
 */
@Tag("parity")
class StartLoggingTest {

    @TempDir
    Path dir;

    @Test
    void atDebugEachStartIsLoggedWithItsProgram() throws Exception {
        List<String> records = run("FINE");

        assertThat(records).containsExactly(
                "jdk", "FINE|ProcessBuilder.start(): pid: PID, dir: " + dir + ", cmd: \"true\"|",
                "java.lang.RuntimeException: ProcessBuilder.start() debug",
                "forkwise", "FINE|ProcessBuilder.start(): pid: PID, dir: " + dir + ", cmd: \"true\"|",
                "java.lang.RuntimeException: ProcessBuilder.start() debug");
    }

    @Test
    void atTraceEachStartIsLoggedWithEveryArgument() throws Exception {
        List<String> records = run("FINER");

        assertThat(records).containsExactly(
                "jdk", "FINER|ProcessBuilder.start(): pid: PID, dir: " + dir + ", cmd: \"true\" \"a b\" \"c\"|",
                "java.lang.RuntimeException: ProcessBuilder.start() debug",
                "forkwise", "FINER|ProcessBuilder.start(): pid: PID, dir: " + dir + ", cmd: \"true\" \"a b\" \"c\"|",
                "java.lang.RuntimeException: ProcessBuilder.start() debug");
    }

    @Test
    void belowDebugNothingIsLogged() throws Exception {
        assertThat(run("INFO")).containsExactly("jdk", "forkwise");
    }

    /** {@return the child JVM's markers and log records, with each logged pid replaced by {@code PID}} */
    private List<String> run(String level) throws Exception {
        Path config = Files.writeString(dir.resolve("logging.properties"), String.join("\n",
                "handlers=java.util.logging.ConsoleHandler",
                "java.util.logging.ConsoleHandler.level=ALL",
                "java.util.logging.SimpleFormatter.format=%4$s|%5$s|%6$s%n",
                ".level=INFO",
                "java.lang.ProcessBuilder.level=" + level, ""));
        List<String> command = new ArrayList<>(OsProbe.javaCommand(Probe.class, dir.toString()));
        command.add(1, "-Djava.util.logging.config.file=" + config);
        if (Boolean.getBoolean("dev.forkwise.forceFallback")) {
            command.add(1, "-Ddev.forkwise.forceFallback=true");
        }
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(jvm.exitValue()).as(output).isZero();
        List<String> records = new ArrayList<>();
        for (String line : output.lines().toList()) {
            if (line.equals("jdk") || line.equals("forkwise") || line.startsWith("java.lang.RuntimeException")) {
                records.add(line);
            } else if (line.contains("|ProcessBuilder.start(): ")) {
                records.add(line.replaceFirst("pid: [0-9]+,", "pid: PID,"));
            }
        }
        return records;
    }

    /** The child JVM: starts {@code true} in the given directory with {@code ProcessBuilder}, then with forkwise. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            ProcessBuilder builder = new ProcessBuilder("true", "a b", "c").directory(new java.io.File(args[0]));
            System.err.println("jdk");
            Process jdk = builder.start();
            jdk.waitFor();
            System.err.println("forkwise");
            Process forkwise = Spawner.start(builder);
            forkwise.waitFor();
        }
    }
}
