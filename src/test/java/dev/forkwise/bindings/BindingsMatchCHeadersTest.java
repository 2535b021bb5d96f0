package dev.forkwise.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemoryLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bindings' struct sizes, field offsets and constants, compared with what the C compiler says
 * for the installed headers. Skipped where there is no C compiler.
 */
class BindingsMatchCHeadersTest {

    @Test
    void layoutsAndConstantsAreThoseOfTheHeaders(@TempDir Path dir) throws Exception {
        assumeTrue(hasCompiler(), "no C compiler (cc) here");
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("sizeof(posix_spawnattr_t)", posix_spawnattr_t.sizeof());
        java.put("sizeof(posix_spawn_file_actions_t)", posix_spawn_file_actions_t.sizeof());
        java.put("sizeof(sigset_t)", sigset_t.sizeof());
        java.put("sizeof(siginfo_t)", siginfo_t.sizeof());
        java.put("sizeof(struct sigaction)", sigaction.sizeof());
        java.put("offsetof(siginfo_t, si_code)", siginfo_t.si_code$offset());
        java.put("offsetof(siginfo_t, si_pid)", siginfo_t.si_pid$offset());
        java.put("offsetof(siginfo_t, si_status)", siginfo_t.si_status$offset());
        java.put("offsetof(struct sigaction, sa_handler)", sigaction.sa_handler$offset());
        java.put("offsetof(struct sigaction, sa_mask)", offset(sigaction.layout(), "sa_mask"));
        java.put("offsetof(struct sigaction, sa_flags)", offset(sigaction.layout(), "sa_flags"));
        for (String line : Files.readAllLines(Path.of("jextract-bindings", "symbols.txt"))) {
            if (line.startsWith("--include-constant ") && !line.contains("SIG_DFL") && !line.contains("SIG_IGN")) {
                String name = line.substring("--include-constant ".length());
                java.put(name, (long) (int) forkwise_h.class.getMethod(name).invoke(null));
            }
        }

        Map<String, Long> c = compileAndRun(dir, java.keySet().stream().toList());

        assertThat(java).isEqualTo(c);
    }

    private static boolean hasCompiler() throws InterruptedException {
        try {
            return new ProcessBuilder("cc", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (java.io.IOException missing) {
            return false;
        }
    }

    private static long offset(MemoryLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }

    private static Map<String, Long> compileAndRun(Path dir, List<String> expressions) throws Exception {
        String body = expressions.stream()
                .map(e -> "    printf(\"%s=%ld\\n\", \"" + e + "\", (long) (" + e.replace("sa_handler", "__sigaction_handler") + "));")
                .collect(Collectors.joining("\n"));
        Path source = Files.writeString(dir.resolve("layouts.c"), """
                #include "%s"
                #include <stddef.h>
                #include <stdio.h>
                int main(void) {
                %s
                    return 0;
                }
                """.formatted(Path.of("jextract-bindings", "forkwise.h").toAbsolutePath(), body));
        Path binary = dir.resolve("layouts");
        Process cc = new ProcessBuilder("cc", "-o", binary.toString(), source.toString()).redirectErrorStream(true).start();
        String diagnostics = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor()).as(diagnostics).isZero();
        Process run = new ProcessBuilder(binary.toString()).start();
        Map<String, Long> values = new LinkedHashMap<>();
        new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().forEach(line -> {
            int eq = line.lastIndexOf('=');
            values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        });
        assertThat(run.waitFor()).isZero();
        return values;
    }
}
