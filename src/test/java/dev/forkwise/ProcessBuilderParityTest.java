package dev.forkwise;

import dev.forkwise.support.Starter;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ProcessBuilder} is the oracle: every case runs once through {@code ProcessBuilder.start()}
 * and once through {@code Spawner.start()}, in the same JVM and with the same inputs, and every
 * observable result must be identical: exit value, bytes on stdout and stderr, files written, and,
 * for a start that fails, the exception's type and message and those of its cause.
 */
@Tag("parity")
class ProcessBuilderParityTest {

    private static final Starter JDK = ProcessBuilder::start;
    private static final Starter FORKWISE = Spawner::start;

    @TempDir
    static Path root;

    /**
     * One scenario: builds a {@code ProcessBuilder} in a fresh scratch directory (where it may create
     * fixture files), optionally feeds bytes to standard input, and states what the outcome must be.
     * The expectation is checked on both outcomes: under {@code -Ddev.forkwise.forceFallback=true}
     * forkwise's outcome is ProcessBuilder's, and the expectation is what that run compares against.
     */
    record Case(Function<Path, ProcessBuilder> builder, byte[] stdin, boolean sortStdout, Consumer<Outcome> expect) {
        static Case of(Function<Path, ProcessBuilder> builder) {
            return new Case(builder, null, false, null);
        }

        Case withStdin(byte[] bytes) {
            return new Case(builder, bytes, sortStdout, expect);
        }

        Case sortingStdout() {
            return new Case(builder, stdin, true, expect);
        }

        Case expecting(Outcome outcome) {
            return satisfying(actual -> assertThat(actual).isEqualTo(outcome));
        }

        Case satisfying(Consumer<Outcome> check) {
            return new Case(builder, stdin, sortStdout, check);
        }
    }

    /** Everything observable about one run, with the scratch directory's path replaced by {@code $DIR}. */
    record Outcome(String failure, Integer exitValue, String stdout, String stderr, Map<String, String> files) {
        Outcome withStdout(String text) {
            return new Outcome(failure, exitValue, text, stderr, files);
        }

        Outcome withStderr(String text) {
            return new Outcome(failure, exitValue, stdout, text, files);
        }

        Outcome withFiles(String... namesAndContents) {
            Map<String, String> contents = new TreeMap<>();
            for (int i = 0; i < namesAndContents.length; i += 2) {
                contents.put(namesAndContents[i], namesAndContents[i + 1]);
            }
            return new Outcome(failure, exitValue, stdout, stderr, contents);
        }
    }

    /** {@return a run that exited with {@code exitValue}, printed nothing and left no file} */
    static Outcome exited(int exitValue) {
        return new Outcome(null, exitValue, "", "", Map.of());
    }

    /** {@return a start that threw, described as {@link #describe} does, and left no file} */
    static Outcome failed(String failure) {
        return new Outcome(failure, null, null, null, Map.of());
    }

    /**
     * {@return the failure of a start whose exec (or chdir) failed with {@code errno}}, worded as this
     * JDK words it: 25 and later {@code Exec failed, error: 2 (No such file or directory) } (with
     * its trailing space), 22 to 24 {@code error=2, No such file or directory}.
     */
    static Outcome execFailed(String program, String directory, int errno, String text) {
        String reason = Runtime.version().feature() >= 25
                ? "Exec failed, error: " + errno + " (" + text + ") "
                : "error=" + errno + ", " + text;
        String where = directory == null ? "" : " (in directory \"" + directory + "\")";
        return failed("java.io.IOException: Cannot run program \"" + program + "\"" + where + ": " + reason
                + " / caused by java.io.IOException: " + reason);
    }

    /** {@return the failure of a start whose redirect file could not be opened} */
    static Outcome redirectFailed(String program, String file, String text) {
        String reason = file + " (" + text + ")";
        return failed("java.io.IOException: Cannot run program \"" + program + "\": " + reason
                + " / caused by java.io.FileNotFoundException: " + reason);
    }

    /** {@return {@code env}'s output for {@code environment}, as {@link #observe} sorts it} */
    static String envListing(Map<String, String> environment) {
        return sortedLines(environment.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue() + "\n")
                .collect(Collectors.joining()));
    }

    static String envListing(Consumer<Map<String, String>> change) {
        Map<String, String> environment = new TreeMap<>(System.getenv());
        change.accept(environment);
        return envListing(environment);
    }

    static final String TOOL = "#!/bin/sh\necho tool \"$1\"\n";
    static final String PLAIN = "echo \"$0\" \"$1\"\nexit 7\n";
    static final byte[] STDIN = pattern(1 << 20);
    static final int TEN_MB = 10 * 1024 * 1024;

    static Stream<Named<Case>> cases() {
        return Stream.of(
                named("arguments with spaces, quotes, empty strings and non-ASCII text", Case.of(dir ->
                        new ProcessBuilder("sh", "-c", "for a; do printf '[%s]\\n' \"$a\"; done", "sh",
                                "two words", "'single'", "\"double\"", "", "tab\there", "naïve 日本語 ✓", " "))
                        .expecting(exited(0).withStdout(
                                "[two words]\n['single']\n[\"double\"]\n[]\n[tab\there]\n[naïve 日本語 ✓]\n[ ]\n"))),
                named("environment variable added", Case.of(dir -> {
                    ProcessBuilder builder = new ProcessBuilder("env");
                    builder.environment().put("FORKWISE_ADDED", "yes = really");
                    return builder;
                }).sortingStdout().satisfying(outcome -> {
                    assertThat(outcome.stdout().lines()).contains("FORKWISE_ADDED=yes = really");
                    assertThat(outcome).isEqualTo(exited(0).withStdout(
                            envListing(env -> env.put("FORKWISE_ADDED", "yes = really"))));
                })),
                named("environment variables removed, PATH among them", Case.of(dir -> {
                    ProcessBuilder builder = new ProcessBuilder("env");
                    builder.environment().remove("HOME");
                    builder.environment().remove("PATH");
                    return builder;
                }).sortingStdout().satisfying(outcome -> {
                    assertThat(outcome.stdout().lines()).noneMatch(line -> line.startsWith("HOME="))
                            .noneMatch(line -> line.startsWith("PATH="));
                    assertThat(outcome).isEqualTo(exited(0).withStdout(envListing(env -> {
                        env.remove("HOME");
                        env.remove("PATH");
                    })));
                })),
                named("environment cleared", Case.of(dir -> {
                    ProcessBuilder builder = new ProcessBuilder("env");
                    builder.environment().clear();
                    builder.environment().put("ONLY", "this");
                    return builder;
                }).sortingStdout().expecting(exited(0).withStdout("ONLY=this\n"))),
                named("environment untouched", Case.of(dir -> new ProcessBuilder("env")).sortingStdout()
                        .expecting(exited(0).withStdout(envListing(System.getenv())))),
                named("working directory", Case.of(dir -> new ProcessBuilder("pwd").directory(dir.toFile()))
                        .expecting(exited(0).withStdout("$DIR\n"))),
                named("relative program in the working directory", Case.of(dir ->
                        new ProcessBuilder("./tool.sh", "arg").directory(executable(dir, "tool.sh", TOOL)
                                .getParent().toFile()))
                        .expecting(exited(0).withStdout("tool arg\n").withFiles("tool.sh", TOOL))),
                named("script without #! runs with /bin/sh", Case.of(dir ->
                        new ProcessBuilder(executable(dir, "plain", PLAIN).toString(), "first"))
                        .expecting(exited(7).withStdout("$DIR/plain first\n").withFiles("plain", PLAIN))),
                named("program found on PATH", Case.of(dir -> new ProcessBuilder("sh", "-c", "echo found"))
                        .expecting(exited(0).withStdout("found\n"))),
                named("stdout to a file", Case.of(dir ->
                        new ProcessBuilder("echo", "to file").redirectOutput(dir.resolve("out").toFile()))
                        .expecting(exited(0).withFiles("out", "to file\n"))),
                named("stdout appended to a file", Case.of(dir ->
                        new ProcessBuilder("echo", "second").redirectOutput(Redirect.appendTo(
                                write(dir, "out", "first\n").toFile())))
                        .expecting(exited(0).withFiles("out", "first\nsecond\n"))),
                named("stdin from a file", Case.of(dir ->
                        new ProcessBuilder("cat").redirectInput(write(dir, "in", "from a file\n").toFile()))
                        .expecting(exited(0).withStdout("from a file\n").withFiles("in", "from a file\n"))),
                named("stderr to a file", Case.of(dir ->
                        new ProcessBuilder("sh", "-c", "echo out; echo err >&2")
                                .redirectError(dir.resolve("err").toFile()))
                        .expecting(exited(0).withStdout("out\n").withFiles("err", "err\n"))),
                named("stdout and stderr discarded", Case.of(dir ->
                        new ProcessBuilder("sh", "-c", "echo out; echo err >&2; exit 4")
                                .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD))
                        .expecting(exited(4))),
                named("all three inherited", Case.of(dir -> new ProcessBuilder("sh", "-c", "exit 3").inheritIO())
                        .expecting(exited(3))),
                named("redirectErrorStream merges stderr into stdout", Case.of(dir ->
                        new ProcessBuilder("sh", "-c", "echo out; echo err >&2; echo out2").redirectErrorStream(true))
                        .expecting(exited(0).withStdout("out\nerr\nout2\n"))),
                named("redirectErrorStream with stdout to a file", Case.of(dir ->
                        new ProcessBuilder("sh", "-c", "echo out; echo err >&2")
                                .redirectErrorStream(true).redirectOutput(dir.resolve("both").toFile()))
                        .expecting(exited(0).withFiles("both", "out\nerr\n"))),
                named("exit value 0", Case.of(dir -> new ProcessBuilder("true")).expecting(exited(0))),
                named("exit value 1", Case.of(dir -> new ProcessBuilder("false")).expecting(exited(1))),
                named("exit value 255", Case.of(dir -> new ProcessBuilder("sh", "-c", "exit 255")).expecting(exited(255))),
                named("killed by SIGTERM", Case.of(dir -> new ProcessBuilder("sh", "-c", "kill -TERM $$"))
                        .expecting(exited(128 + 15))),
                named("killed by SIGKILL", Case.of(dir -> new ProcessBuilder("sh", "-c", "kill -KILL $$"))
                        .expecting(exited(128 + 9))),
                named("stdin to a child and back", Case.of(dir -> new ProcessBuilder("cat"))
                        .withStdin(STDIN).expecting(exited(0).withStdout(summary(STDIN)))),
                named("10 MB through stdout", Case.of(dir ->
                        new ProcessBuilder("sh", "-c", "yes 0123456789abcdef | head -c " + TEN_MB))
                        .expecting(exited(0).withStdout(summary(repeated("0123456789abcdef\n", TEN_MB))))),
                named("signals: mask and ignored set", Case.of(dir ->
                        new ProcessBuilder("grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"))
                        .satisfying(ProcessBuilderParityTest::nothingBlockedNothingNewlyIgnored)),
                named("missing program", Case.of(dir -> new ProcessBuilder("forkwise-no-such-program"))
                        .expecting(execFailed("forkwise-no-such-program", null, 2, "No such file or directory"))),
                named("missing absolute program", Case.of(dir -> new ProcessBuilder("/nonexistent/program"))
                        .expecting(execFailed("/nonexistent/program", null, 2, "No such file or directory"))),
                named("empty program name", Case.of(dir -> new ProcessBuilder(""))
                        .expecting(execFailed("", null, 2, "No such file or directory"))),
                named("directory as program", Case.of(dir -> new ProcessBuilder(dir.toString()))
                        .expecting(execFailed("$DIR", null, 13, "Permission denied"))),
                named("file that is not executable", Case.of(dir ->
                        new ProcessBuilder(write(dir, "data", "echo no\n").toString()))
                        .expecting(execFailed("$DIR/data", null, 13, "Permission denied").withFiles("data", "echo no\n"))),
                named("missing working directory", Case.of(dir ->
                        new ProcessBuilder("true").directory(dir.resolve("missing").toFile()))
                        .expecting(execFailed("true", "$DIR/missing", 2, "No such file or directory"))),
                named("working directory that is a file", Case.of(dir ->
                        new ProcessBuilder("true").directory(write(dir, "file", "").toFile()))
                        .expecting(execFailed("true", "$DIR/file", 20, "Not a directory").withFiles("file", ""))),
                named("missing relative program in a working directory", Case.of(dir ->
                        new ProcessBuilder("./nope").directory(dir.toFile()))
                        .expecting(execFailed("./nope", "$DIR", 2, "No such file or directory"))),
                named("NUL in an argument", Case.of(dir -> new ProcessBuilder("echo", "a\0b"))
                        .expecting(failed("java.io.IOException: invalid null character in command"))),
                named("NUL in the program", Case.of(dir -> new ProcessBuilder("ec\0ho"))
                        .expecting(failed("java.io.IOException: invalid null character in command"))),
                named("empty command", Case.of(dir -> new ProcessBuilder())
                        .expecting(failed("java.lang.ArrayIndexOutOfBoundsException: Index 0 out of bounds for length 0"))),
                named("null argument", Case.of(dir -> new ProcessBuilder("echo", null))
                        .expecting(failed("java.lang.NullPointerException: null"))),
                named("stdin from a missing file", Case.of(dir ->
                        new ProcessBuilder("cat").redirectInput(dir.resolve("missing").toFile()))
                        .expecting(redirectFailed("cat", "$DIR/missing", "No such file or directory"))),
                named("stdin from a directory", Case.of(dir -> new ProcessBuilder("cat").redirectInput(dir.toFile()))
                        .expecting(redirectFailed("cat", "$DIR", "Is a directory"))),
                named("stdout to a directory", Case.of(dir -> new ProcessBuilder("true").redirectOutput(dir.toFile()))
                        .expecting(redirectFailed("true", "$DIR", "Is a directory"))),
                named("stdout to a file in a missing directory", Case.of(dir ->
                        new ProcessBuilder("true").redirectOutput(dir.resolve("missing/out").toFile()))
                        .expecting(redirectFailed("true", "$DIR/missing/out", "No such file or directory"))));
    }

    /** glibc's internal signals 32 and 33, which its posix_spawn child sets to SIG_IGN before exec. */
    private static final long GLIBC_INTERNAL_SIGNALS = (1L << 31) | (1L << 32);

    /**
     * The child starts with no signal blocked, and ignores only what this JVM ignores (an ignored
     * disposition survives exec), bar glibc's internal signals: grep reports its own mask, so this
     * is the mask and dispositions that start left it.
     */
    private static void nothingBlockedNothingNewlyIgnored(Outcome outcome) {
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.exitValue()).isZero();
        assertThat(outcome.stderr()).isEmpty();
        assertThat(outcome.files()).isEmpty();
        assertThat(outcome.stdout()).matches("SigBlk:\t0{16}\nSigIgn:\t\\p{XDigit}{16}\n");
        long ignored = signalSet(outcome.stdout(), "SigIgn");
        long jvmIgnored;
        try {
            jvmIgnored = signalSet(Files.readString(Path.of("/proc/self/status")), "SigIgn");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(Long.toHexString(ignored & ~GLIBC_INTERNAL_SIGNALS))
                .as("signals ignored by the child, besides glibc's 32 and 33")
                .isEqualTo(Long.toHexString(jvmIgnored & ~GLIBC_INTERNAL_SIGNALS));
    }

    private static long signalSet(String status, String field) {
        return status.lines().filter(line -> line.startsWith(field + ":\t")).findFirst()
                .map(line -> Long.parseUnsignedLong(line.substring(field.length() + 2).strip(), 16))
                .orElseThrow(() -> new AssertionError("no " + field + " line in " + status));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameOutcomeAsProcessBuilder(Case scenario) throws Exception {
        assertThat(scenario.expect()).as("the case states what it expects").isNotNull();
        Outcome jdk = observe(JDK, scenario);
        Outcome forkwise = observe(FORKWISE, scenario);

        check("forkwise's", forkwise, scenario.expect());
        check("ProcessBuilder's", jdk, scenario.expect());
        assertThat(forkwise).isEqualTo(jdk);
    }

    /** Runs {@code expect} on {@code outcome}, naming whose outcome it was if it fails. */
    static void check(String whose, Outcome outcome, Consumer<Outcome> expect) {
        try {
            expect.accept(outcome);
        } catch (AssertionError e) {
            throw new AssertionError(whose + " outcome is not what the case expects: " + e.getMessage(), e);
        }
    }

    static Outcome observe(Starter starter, Case scenario) throws Exception {
        Path dir = Files.createTempDirectory(root, "run");
        String dirText = dir.toString();
        ProcessBuilder builder = scenario.builder().apply(dir);
        Process process;
        try {
            process = starter.start(builder);
        } catch (Throwable failure) {
            return new Outcome(describe(failure).replace(dirText, "$DIR"), null, null, null, files(dir));
        }
        CompletableFuture<byte[]> stdout = readAsync(process.getInputStream());
        CompletableFuture<byte[]> stderr = readAsync(process.getErrorStream());
        if (scenario.stdin() != null) {
            try (OutputStream in = process.getOutputStream()) {
                in.write(scenario.stdin());
            }
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited within a minute").isTrue();
        String out = summarise(stdout.get(), scenario.sortStdout()).replace(dirText, "$DIR");
        String err = summarise(stderr.get(), false).replace(dirText, "$DIR");
        return new Outcome(null, process.exitValue(), out, err, files(dir));
    }

    static String describe(Throwable failure) {
        String text = failure.getClass().getName() + ": " + failure.getMessage();
        Throwable cause = failure.getCause();
        return cause == null ? text : text + " / caused by " + describe(cause);
    }

    private static CompletableFuture<byte[]> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** {@return how {@link #observe} shows {@code bytes} on unsorted stdout} */
    static String summary(byte[] bytes) {
        try {
            return summarise(bytes, false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] repeated(String line, int length) {
        byte[] unit = line.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = unit[i % unit.length];
        }
        return bytes;
    }

    /**
     * Text as it is, or its length and SHA-256 when it is too long to read in a failure message. Sorted
     * text (an environment listing, whose order is the map's) is never hashed: its size is the machine's,
     * and the hash of unsorted bytes could not be expected. Each sorted line keeps its newline.
     */
    private static String summarise(byte[] bytes, boolean sortLines) throws Exception {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (sortLines) {
            return sortedLines(text);
        }
        if (bytes.length > 4096) {
            return bytes.length + " bytes, sha256 "
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        return text;
    }

    static String sortedLines(String text) {
        return text.lines().sorted().map(line -> line + "\n").collect(Collectors.joining());
    }

    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                contents.put(file.getFileName().toString(),
                        Files.isRegularFile(file) ? Files.readString(file) : "(not a regular file)");
            }
        }
        return contents;
    }

    private static Named<Case> named(String name, Case scenario) {
        return Named.of(name, scenario);
    }

    static Path write(Path dir, String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path executable(Path dir, String name, String content) {
        Path file = write(dir, name, content);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 8));
        }
        return bytes;
    }
}
