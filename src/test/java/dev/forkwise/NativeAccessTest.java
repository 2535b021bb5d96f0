package dev.forkwise;

import dev.forkwise.support.MechanismProbe;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module and its native-access flag, checked in fresh JVMs: with the flag, forkwise uses
 * posix_spawn; without it, it falls back to {@code ProcessBuilder}, names the exact flag, and
 * still starts processes. No JDK restricted-method warning is printed either way.
 */
class NativeAccessTest {

    private static final Path CLASSES = Path.of("target", "classes");
    private static final Path TEST_CLASSES = Path.of("target", "test-classes");

    @Test
    void onTheModulePathWithTheFlagItUsesPosixSpawn() throws Exception {
        List<String> output = run("--enable-native-access=dev.forkwise", "--module-path", CLASSES.toString(),
                "--add-modules", "dev.forkwise");

        assertThat(output).containsExactly("launch=POSIX_SPAWN", "fallbackReason=none", "true exits 0");
    }

    @Test
    void onTheModulePathWithoutTheFlagItFallsBackAndNamesTheModuleFlag() throws Exception {
        List<String> output = run("--module-path", CLASSES.toString(), "--add-modules", "dev.forkwise");

        assertThat(output).containsExactly("launch=PROCESS_BUILDER",
                "fallbackReason=native access is not enabled for module dev.forkwise;"
                        + " run java with --enable-native-access=dev.forkwise",
                "true exits 0");
    }

    @Test
    void onTheClassPathWithoutTheFlagItFallsBackAndNamesAllUnnamed() throws Exception {
        List<String> output = run("-cp", CLASSES.toString());

        assertThat(output).first().isEqualTo("launch=PROCESS_BUILDER");
        assertThat(output.get(1)).endsWith("run java with --enable-native-access=ALL-UNNAMED");
        assertThat(output).last().isEqualTo("true exits 0");
    }

    /** Runs {@link MechanismProbe} with {@code options}; {@return its stdout and stderr lines} minus logging. */
    private static List<String> run(String... options) throws Exception {
        assertThat(Files.isRegularFile(CLASSES.resolve("module-info.class"))).isTrue();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options));
        int cp = command.indexOf("-cp");
        if (cp >= 0) {
            command.set(cp + 1, command.get(cp + 1) + java.io.File.pathSeparator + TEST_CLASSES);
        } else {
            command.addAll(List.of("-cp", TEST_CLASSES.toString()));
        }
        command.add(MechanismProbe.class.getName());
        Process java = Spawner.start(new ProcessBuilder(command).redirectErrorStream(true));
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as(output).isZero();
        assertThat(output).as("no JDK restricted-method warning").doesNotContain("restricted method");
        // The fallback is logged through System.Logger (two lines of java.util.logging); keep the program's lines.
        return output.lines().filter(line -> line.matches("(launch|fallbackReason|true exits)\\b.*")).toList();
    }
}
