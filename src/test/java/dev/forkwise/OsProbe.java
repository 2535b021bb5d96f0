package dev.forkwise;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the kernel says about this JVM and its children: descriptors, zombies, writers, threads. */
public final class OsProbe {

    private OsProbe() {
    }

    /** {@return the number of descriptors this process has open now} */
    public static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the pids of this JVM's children that are zombies (exited, not reaped)} */
    public static List<Long> zombieChildren() {
        long self = ProcessHandle.current().pid();
        List<Long> zombies = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(entry.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // pid (comm) state ppid ...; comm may contain spaces and parentheses
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (fields[0].equals("Z") && Long.parseLong(fields[1]) == self) {
                    zombies.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zombies;
    }

    /**
     * {@return whether any process holds {@code file} open for writing} design.md §2's probe: a read
     * lease on a read-only descriptor is refused with {@code EAGAIN} while a writer exists.
     */
    public static boolean hasWriter(Path file) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = Libc.open(arena.allocateFrom(file.toString()), forkwise_h.O_RDONLY() | forkwise_h.O_CLOEXEC(), 0);
            if (fd < 0) {
                throw new IllegalStateException("open " + file + ": " + Libc.strerror(-fd));
            }
            try {
                int result = Libc.fcntl(fd, forkwise_h.F_SETLEASE(), forkwise_h.F_RDLCK());
                if (result == 0) {
                    Libc.fcntl(fd, forkwise_h.F_SETLEASE(), forkwise_h.F_UNLCK());
                    return false;
                }
                if (result == -forkwise_h.EAGAIN()) {
                    return true;
                }
                throw new IllegalStateException("lease probe on " + file + ": " + Libc.strerror(-result));
            } finally {
                Libc.close(fd);
            }
        }
    }

    /** {@return a command that runs {@code main} in a new JVM with this test's class path and native access} */
    public static List<String> javaCommand(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
