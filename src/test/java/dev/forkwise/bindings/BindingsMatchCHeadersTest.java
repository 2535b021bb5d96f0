package dev.forkwise.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bindings compared with what the C compiler says for the installed headers: the size and
 * every field offset the library reads of each struct it uses, every constant in
 * {@code symbols.txt}, and the prototype of every function {@link Libc} links by hand. Skipped
 * where there is no C compiler ({@code cc}).
 */
class BindingsMatchCHeadersTest {

    /**
     * The headers' type of each function {@link Libc} links by hand. The C program asserts each
     * with {@code __builtin_types_compatible_p}, so a header that disagrees fails compilation;
     * the test then checks {@link Libc#DESCRIPTORS} against these types.
     */
    private static final Map<String, String> PROTOTYPES = new TreeMap<>(Map.ofEntries(
            Map.entry("pipe2", "int (int *, int)"),
            Map.entry("close", "int (int)"),
            Map.entry("read", "ssize_t (int, void *, size_t)"),
            Map.entry("write", "ssize_t (int, const void *, size_t)"),
            Map.entry("faccessat", "int (int, const char *, int, int)"),
            Map.entry("waitpid", "pid_t (pid_t, int *, int)"),
            Map.entry("waitid", "int (idtype_t, id_t, siginfo_t *, int)"),
            Map.entry("kill", "int (pid_t, int)"),
            Map.entry("pidfd_open", "int (pid_t, unsigned int)"),
            Map.entry("pidfd_send_signal", "int (int, int, siginfo_t *, unsigned int)"),
            Map.entry("pidfd_getpid", "pid_t (int)"),
            Map.entry("epoll_create1", "int (int)"),
            Map.entry("epoll_ctl", "int (int, int, int, struct epoll_event *)"),
            Map.entry("epoll_wait", "int (int, struct epoll_event *, int, int)"),
            Map.entry("poll", "int (struct pollfd *, nfds_t, int)"),
            Map.entry("eventfd", "int (unsigned int, int)"),
            Map.entry("fcntl", "int (int, int, ...)"),
            Map.entry("open", "int (const char *, int, ...)"),
            Map.entry("ioctl", "int (int, unsigned long, ...)"),
            Map.entry("syscall", "long (long, ...)")));

    @Test
    void layoutsConstantsAndPrototypesAreThoseOfTheHeaders(@TempDir Path dir) throws Exception {
        assumeTrue(hasCompiler(), "skipped: no C compiler (cc) on this machine to read the headers with");
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("sizeof(posix_spawnattr_t)", posix_spawnattr_t.sizeof());
        java.put("sizeof(posix_spawn_file_actions_t)", posix_spawn_file_actions_t.sizeof());
        java.put("sizeof(sigset_t)", sigset_t.sizeof());
        java.put("sizeof(siginfo_t)", siginfo_t.sizeof());
        java.put("offsetof(siginfo_t, si_code)", siginfo_t.si_code$offset());
        java.put("offsetof(siginfo_t, si_pid)", siginfo_t._sifields$offset() + siginfo_t._sifields._kill$offset()
                + siginfo_t._sifields._kill.si_pid$offset());
        java.put("offsetof(siginfo_t, si_status)", siginfo_t._sifields$offset()
                + siginfo_t._sifields._sigchld$offset() + siginfo_t._sifields._sigchld.si_status$offset());
        // Libc allocates these by size, without initialising their generated classes
        java.put("sizeof(posix_spawnattr_t) ", Libc.POSIX_SPAWNATTR_SIZE);
        java.put("sizeof(posix_spawn_file_actions_t) ", Libc.POSIX_SPAWN_FILE_ACTIONS_SIZE);
        java.put("sizeof(sigset_t) ", Libc.SIGSET_SIZE);
        java.put("_Alignof(posix_spawnattr_t)", Libc.OPAQUE_ALIGNMENT);
        java.put("_Alignof(posix_spawn_file_actions_t)", Libc.OPAQUE_ALIGNMENT);
        java.put("_Alignof(sigset_t)", Libc.OPAQUE_ALIGNMENT);
                // Libc reads these at fixed offsets, without initialising the generated siginfo_t
        java.put("sizeof(siginfo_t) ", Libc.SIGINFO_SIZE);
        java.put("_Alignof(siginfo_t)", Libc.SIGINFO_ALIGNMENT);
        java.put("offsetof(siginfo_t, si_code) ", Libc.SI_CODE_OFFSET);
        java.put("offsetof(siginfo_t, si_pid) ", Libc.SI_PID_OFFSET);
        java.put("offsetof(siginfo_t, si_status) ", Libc.SI_STATUS_OFFSET);
        java.put("sizeof(struct sigaction)", sigaction.sizeof());
        java.put("offsetof(struct sigaction, sa_handler)", sigaction.__sigaction_handler$offset()
                + sigaction.__sigaction_handler.sa_handler$offset());
        java.put("sizeof(struct pollfd)", pollfd.sizeof());
        java.put("offsetof(struct pollfd, fd)", pollfd.fd$offset());
        java.put("offsetof(struct pollfd, events)", pollfd.events$offset());
        java.put("offsetof(struct pollfd, revents)", pollfd.revents$offset());
        // the generated layout is the generating machine's (x86_64); Libc's is the running one's
        java.put("sizeof(struct epoll_event)", epoll_event.sizeof());
        java.put("offsetof(struct epoll_event, events)", epoll_event.events$offset());
        java.put("offsetof(struct epoll_event, data)", epoll_event.data$offset());
        java.put("sizeof(struct epoll_event) ", Libc.EPOLL_EVENT.byteSize());
        java.put("offsetof(struct epoll_event, events) ", offset(Libc.EPOLL_EVENT, "events"));
        java.put("offsetof(struct epoll_event, data) ", offset(Libc.EPOLL_EVENT, "data"));
        for (String line : Files.readAllLines(Path.of("jextract-bindings", "symbols.txt"))) {
            if (line.startsWith("--include-constant ")) {
                String name = line.substring("--include-constant ".length()).strip();
                Object value = forkwise_h.class.getMethod(name).invoke(null);
                java.put("(long) " + name, value instanceof MemorySegment pointer
                        ? pointer.address() : ((Number) value).longValue());
            }
        }
        List<String> cTypes = PROTOTYPES.values().stream()
                .flatMap(type -> typesOf(type).stream())
                .filter(type -> !type.contains("*"))
                .distinct()
                .toList();
        List<String> expressions = new ArrayList<>(java.keySet());
        cTypes.forEach(type -> expressions.add("sizeof(" + type + ")"));

        Map<String, Long> c = compileAndRun(dir, expressions);

        Map<String, Long> fromC = new LinkedHashMap<>(c);
        cTypes.forEach(type -> fromC.remove("sizeof(" + type + ")"));
        assertThat(java).isEqualTo(fromC);
        assertThat(Libc.DESCRIPTORS.keySet()).containsExactlyInAnyOrderElementsOf(PROTOTYPES.keySet());
        PROTOTYPES.forEach((name, type) -> assertMatches(name, type, Libc.DESCRIPTORS.get(name), c));
    }

    /** Checks each layout of {@code descriptor} against the C type in the same place. */
    private static void assertMatches(String name, String cType, FunctionDescriptor descriptor, Map<String, Long> c) {
        List<String> types = typesOf(cType);
        boolean variadic = cType.endsWith("...)");
        List<MemoryLayout> layouts = new ArrayList<>();
        layouts.add(descriptor.returnLayout().orElseThrow());
        layouts.addAll(descriptor.argumentLayouts());
        if (variadic) {
            assertThat(Libc.FIXED_PARAMETERS.get(name)).as(name + ": fixed parameters").isEqualTo(types.size() - 1);
            assertThat(layouts.size()).as(name + ": variadic arguments").isGreaterThan(types.size());
        } else {
            assertThat(Libc.FIXED_PARAMETERS).as(name + " is not variadic").doesNotContainKey(name);
            assertThat(layouts).as(name + ": parameters").hasSameSizeAs(types);
        }
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            MemoryLayout layout = layouts.get(i);
            String where = name + (i == 0 ? " return" : " parameter " + i) + " (" + type + ")";
            if (type.contains("*")) {
                assertThat(layout).as(where).isInstanceOf(AddressLayout.class);
            } else {
                assertThat(layout).as(where).isInstanceOf(ValueLayout.class).isNotInstanceOf(AddressLayout.class);
                assertThat(layout.byteSize()).as(where).isEqualTo(c.get("sizeof(" + type + ")"));
            }
        }
    }

    /** {@return the return type, then the fixed parameter types, of a C function type} */
    private static List<String> typesOf(String cType) {
        int open = cType.indexOf(" (");
        List<String> types = new ArrayList<>();
        types.add(cType.substring(0, open));
        Arrays.stream(cType.substring(open + 2, cType.length() - 1).split(", "))
                .filter(type -> !type.equals("..."))
                .forEach(types::add);
        return types;
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
        String asserts = PROTOTYPES.entrySet().stream()
                .map(e -> "_Static_assert(__builtin_types_compatible_p(__typeof__(%1$s), %2$s), \"%1$s is not %2$s\");"
                        .formatted(e.getKey(), e.getValue()))
                .collect(Collectors.joining("\n"));
        String body = expressions.stream()
                .map(e -> "    printf(\"%s=%ld\\n\", \"" + e + "\", (long) (" + e + "));")
                .collect(Collectors.joining("\n"));
        Path source = Files.writeString(dir.resolve("layouts.c"), """
                #include "%s"
                #include <stddef.h>
                #include <stdio.h>
                %s
                int main(void) {
                %s
                    return 0;
                }
                """.formatted(Path.of("jextract-bindings", "forkwise.h").toAbsolutePath(), asserts, body));
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
