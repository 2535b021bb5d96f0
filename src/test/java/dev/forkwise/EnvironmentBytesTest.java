package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of re-encoding inherited environment bytes: once a program changes one variable of a
 * builder, every other variable must still reach the child with the bytes this process had for
 * it, as with {@code ProcessBuilder}, even bytes that do not decode in the JVM's file-name
 * encoding. Each locale runs in a child JVM started (through {@code sh}, which can set raw bytes)
 * with a variable that is not UTF-8 and one that is not ASCII.
 */
@Tag("parity")
class EnvironmentBytesTest {

    private static final String HW_BAD = "61fffe620a";        // a \377 \376 b, newline from printenv
    private static final String JURGEN = "6ac3bc7267656e0a";  // jürgen in UTF-8

    @ParameterizedTest
    @ValueSource(strings = {"C.UTF-8", "C"})
    void unchangedVariablesKeepTheirOriginalBytesWhenAnotherChanges(String locale) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "HW_BAD=\"$(printf 'a\\377\\376b')\" HW_NAME=\"$(printf 'j\\303\\274rgen')\" exec \"$@\"", "sh"));
        command.addAll(OsProbe.javaCommand(Probe.class));
        ProcessBuilder probe = new ProcessBuilder(command).redirectErrorStream(true);
        probe.environment().put("LC_ALL", locale);
        Process jvm = Spawner.start(probe);
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(jvm.exitValue()).as(output).isZero();
        List<String> lines = output.lines().filter(line -> line.contains(": ")).toList();
        assertThat(lines).as(output).contains(
                "ProcessBuilder HW_BAD: " + HW_BAD, "ProcessBuilder HW_NAME: " + JURGEN,
                "forkwise HW_BAD: " + HW_BAD, "forkwise HW_NAME: " + JURGEN);
    }

    /** The child JVM: prints the bytes each starter's child gets for each variable, with one other variable changed. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            for (String variable : List.of("HW_BAD", "HW_NAME")) {
                System.out.println("ProcessBuilder " + variable + ": " + bytes(changed(variable).start()));
                System.out.println("forkwise " + variable + ": " + bytes(Spawner.start(changed(variable))));
            }
        }

        private static ProcessBuilder changed(String variable) {
            ProcessBuilder builder = new ProcessBuilder("printenv", variable);
            builder.environment().put("FORKWISE_CHANGED", "1");
            return builder;
        }

        private static String bytes(Process process) throws Exception {
            String hex = HexFormat.of().formatHex(process.getInputStream().readAllBytes());
            process.waitFor();
            return hex;
        }
    }
}
