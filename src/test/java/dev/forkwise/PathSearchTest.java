package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a PATH search that reports the wrong error: a program that is not executable in an
 * earlier PATH directory is remembered (permission denied) and reported only if no later
 * directory has the program; an error that ends the search, such as an argument list too long,
 * is reported as it is. The PATH searched is the JVM's own, so each case runs in a child JVM
 * started with the PATH it needs, and compares forkwise with {@code ProcessBuilder} there.
 */
@Tag("parity")
class PathSearchTest {

    private static final int TOO_LONG = 200 * 1024;   // one argument over the kernel's 128 KiB limit

    @TempDir
    Path dir;

    @Test
    void aFatalExecErrorIsNotHiddenByAnEarlierPermissionDenied() throws Exception {
        List<String> lines = runWithPathStartingAtANonExecutableTrue("too-long");

        String jdk = lines.get(0);
        String forkwise = lines.get(1);
        assertThat(jdk).as("ProcessBuilder's error").containsPattern("error[:=] ?7\\b");
        assertThat(forkwise).isEqualTo(jdk.replace("ProcessBuilder:", "forkwise:"));
    }

    @Test
    void aProgramFoundAfterANonExecutableOneStarts() throws Exception {
        List<String> lines = runWithPathStartingAtANonExecutableTrue("short");

        assertThat(lines).containsExactly("ProcessBuilder: exit 0", "forkwise: exit 0");
    }

    private List<String> runWithPathStartingAtANonExecutableTrue(String argument) throws Exception {
        Path shadow = Files.createDirectory(dir.resolve("shadow"));
        Files.writeString(shadow.resolve("true"), "#!/bin/sh\nexit 9\n");   // readable, not executable
        ProcessBuilder probe = new ProcessBuilder(OsProbe.javaCommand(Probe.class, argument)).redirectErrorStream(true);
        probe.environment().put("PATH", shadow + ":/usr/bin:/bin");
        Process jvm = Spawner.start(probe);
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(jvm.exitValue()).as(output).isZero();
        return output.lines().filter(line -> line.startsWith("ProcessBuilder:") || line.startsWith("forkwise:")).toList();
    }

    /** The child JVM: starts {@code true} with ProcessBuilder, then with forkwise, and prints what each did. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            String argument = args[0].equals("too-long") ? "x".repeat(TOO_LONG) : "short";
            System.out.println("ProcessBuilder: " + outcome(new ProcessBuilder("true", argument), false));
            System.out.println("forkwise: " + outcome(new ProcessBuilder("true", argument), true));
        }

        private static String outcome(ProcessBuilder builder, boolean forkwise) throws InterruptedException {
            try {
                return "exit " + (forkwise ? Spawner.start(builder) : builder.start()).waitFor();
            } catch (java.io.IOException e) {
                return e.getMessage();
            }
        }
    }
}
