package dev.forkwise;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.support.Await;
import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * Waits until the number of open descriptors is {@code expected}: a child's pipes are given
     * back just after {@code waitFor} returns, on the thread that watches exits.
     *
     * @throws AssertionError if it is not within {@link Await#DEADLINE}, with the last count
     */
    public static void awaitOpenDescriptors(String what, long expected) throws InterruptedException {
        Await.until(what + ": " + expected + " descriptors open", OsProbe::openDescriptors, count -> count == expected);
    }

    /** {@return the number of pidfds this process has open now} */
    public static long openPidfds() {
        return openDescriptorsLinkedTo("anon_inode:[pidfd]");
    }

    /** {@return the number of pipe ends this process has open now} */
    public static long openPipes() {
        return openDescriptorsLinkedTo("pipe:");
    }

    private static long openDescriptorsLinkedTo(String prefix) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(prefix);
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return whether {@code pid} is a process that has not exited} (a zombie has exited) */
    public static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }

    /** {@return the process group and session ids of {@code pid}} */
    public static long[] groupAndSession(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[2]), Long.parseLong(fields[3])};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the names of this JVM's live platform threads} */
    public static Set<String> platformThreadNames() {
        Set<String> names = new HashSet<>();
        Thread.getAllStackTraces().keySet().forEach(thread -> names.add(thread.getName()));
        return names;
    }

    /** {@return the number of live platform threads in this JVM} (virtual threads not counted) */
    public static int platformThreads() {
        return Thread.getAllStackTraces().size();
    }

    /**
     * {@return the number of live threads in this JVM, platform and virtual}, counted in a JSON
     * thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads}), which lists every thread of every
     * thread container: each thread's object has one {@code "tid"} member.
     */
    public static int allThreads() {
        try {
            Path dump = Files.createTempFile("forkwise-threads", ".json");
            Files.delete(dump);   // dumpThreads refuses to overwrite
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                Matcher tid = THREAD_ID.matcher(Files.readString(dump));
                int threads = 0;
                while (tid.find()) {
                    threads++;
                }
                return threads;
            } finally {
                Files.deleteIfExists(dump);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern THREAD_ID = Pattern.compile("\"tid\"\\s*:");

    /** {@return a new pipe's read and write ends, close-on-exec} */
    public static int[] pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            int result = Libc.pipe2(fds, forkwise_h.O_CLOEXEC());
            if (result < 0) {
                throw new IllegalStateException("pipe2: " + forkwise_h.strerror(-result).getString(0));
            }
            return fds.toArray(ValueLayout.JAVA_INT);
        }
    }

    /** {@return whether descriptor {@code fd} is open in this process} */
    public static boolean isOpen(int fd) {
        return Libc.fcntl(fd, forkwise_h.F_GETFD(), 0) >= 0;
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
     * lease on a read-only descriptor is refused with {@code EAGAIN} while a writer exists. Never call
     * it while another process may open {@code file} for writing: that open breaks the lease, and the
     * kernel's lease-break signal (SIGIO) terminates the JVM.
     */
    public static boolean hasWriter(Path file) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = Libc.open(arena.allocateFrom(file.toString()), forkwise_h.O_RDONLY() | forkwise_h.O_CLOEXEC(), 0);
            if (fd < 0) {
                throw new IllegalStateException("open " + file + ": " + forkwise_h.strerror(-fd).getString(0));
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
                throw new IllegalStateException("lease probe on " + file + ": " + forkwise_h.strerror(-result).getString(0));
            } finally {
                Libc.close(fd);
            }
        }
    }

    /**
     * Loads every class of the class path's directories, initialising none: a class from a
     * directory needs a descriptor to load, so a test that exhausts descriptors loads them first,
     * and still meets every initialisation (every first use) under exhaustion.
     */
    public static void loadWithoutInitialising() throws IOException {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path root = Path.of(entry);
            if (!Files.isDirectory(root)) {
                continue;
            }
            List<String> names;
            try (Stream<Path> files = Files.walk(root)) {
                names = files.map(root::relativize).map(Path::toString)
                        .filter(name -> name.endsWith(".class") && !name.contains("-info"))
                        .map(name -> name.substring(0, name.length() - ".class".length()).replace(java.io.File.separatorChar, '.'))
                        .toList();
            }
            for (String name : names) {
                try {
                    Class.forName(name, false, OsProbe.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError notLoadable) {
                    // a test class whose dependencies (JUnit) are not on this class path
                }
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
