package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of one PATH search for two cases: a builder whose environment was never touched
 * finds its program as glibc's {@code execvp} does (with {@code PATH} unset, not in the working
 * directory; a symlink loop named like the program ends the search with error 40), one with an
 * environment of its own as the JDK's loop does; and starting a builder with forkwise must not
 * change how a later {@code builder.start()} of it searches. Each case runs in a child JVM with
 * the {@code PATH} it needs, {@code java.lang} open to forkwise so it can look without touching.
 */
@Tag("parity")
class UntouchedEnvironmentSearchTest {

    @TempDir
    Path dir;

    @Test
    void withPathUnsetAnUntouchedBuilderDoesNotSearchTheWorkingDirectory() throws Exception {
        Path program = dir.resolve("fw-here");
        Files.writeString(program, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        List<String> lines = run("fw-here", env -> env.remove("PATH"));

        assertThat(lines.get(0)).as("ProcessBuilder, untouched").contains("error: 2 ");
        assertSameAsProcessBuilder(lines);
    }

    @Test
    void aSymlinkLoopEarlierInPathEndsAnUntouchedBuildersSearch() throws Exception {
        Path loops = Files.createDirectory(dir.resolve("loops"));
        Files.createSymbolicLink(loops.resolve("true"), loops.resolve("true"));
        List<String> lines = run("true", env -> env.put("PATH", loops + ":/usr/bin:/bin"));

        assertThat(lines.get(0)).as("ProcessBuilder, untouched").contains("error: 40 ");
        assertSameAsProcessBuilder(lines);
    }

    private static void assertSameAsProcessBuilder(List<String> lines) {
        assertThat(lines.get(1)).as("forkwise, untouched").isEqualTo(lines.get(0));
        assertThat(lines.get(2)).as("ProcessBuilder after forkwise started the builder").isEqualTo(lines.get(0));
        assertThat(lines.get(3)).as("ProcessBuilder, environment changed").isEqualTo("exit 0");
        assertThat(lines.get(4)).as("forkwise, environment changed").isEqualTo(lines.get(3));
    }

    private List<String> run(String program, Consumer<java.util.Map<String, String>> environment) throws Exception {
        List<String> command = new ArrayList<>(OsProbe.javaCommand(Probe.class, program));
        command.add(1, "--add-opens=java.base/java.lang=ALL-UNNAMED");
        ProcessBuilder probe = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        environment.accept(probe.environment());
        Process jvm = Spawner.start(probe);
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(jvm.exitValue()).as(output).isZero();
        List<String> lines = output.lines().filter(line -> line.startsWith("> ")).map(line -> line.substring(2)).toList();
        assertThat(lines).as(output).hasSize(5);
        return lines;
    }

    /** The child JVM: starts the program in each way and prints each outcome, the starter's name left out. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            String program = args[0];
            System.out.println("> " + outcome(() -> new ProcessBuilder(program).start()));
            System.out.println("> " + outcome(() -> Spawner.start(new ProcessBuilder(program))));
            ProcessBuilder seen = new ProcessBuilder(program);
            outcome(() -> Spawner.start(seen));
            System.out.println("> " + outcome(seen::start));
            System.out.println("> " + outcome(() -> changed(program).start()));
            System.out.println("> " + outcome(() -> Spawner.start(changed(program))));
        }

        private static ProcessBuilder changed(String program) {
            ProcessBuilder builder = new ProcessBuilder(program);
            builder.environment().put("FORKWISE_CHANGED", "1");
            return builder;
        }

        private interface Start {
            Process start() throws IOException;
        }

        private static String outcome(Start start) throws InterruptedException {
            try {
                return "exit " + start.start().waitFor();
            } catch (IOException e) {
                return e.getMessage() + (e.getCause() == null ? "" : " / " + e.getCause().getMessage());
            }
        }
    }
}
