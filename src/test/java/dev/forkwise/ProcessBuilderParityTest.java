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
     * fixture files), optionally feeds bytes to standard input.
     */
    record Case(Function<Path, ProcessBuilder> builder, byte[] stdin, boolean sortStdout) {
        static Case of(Function<Path, ProcessBuilder> builder) {
            return new Case(builder, null, false);
        }

        Case withStdin(byte[] bytes) {
            return new Case(builder, bytes, sortStdout);
        }

        Case sortingStdout() {
            return new Case(builder, stdin, true);
        }
    }

    /** Everything observable about one run, with the scratch directory's path replaced by {@code $DIR}. */
    record Outcome(String failure, Integer exitValue, String stdout, String stderr, Map<String, String> files) {
    }

    static Stream<Named<Case>> cases() {
        return Stream.of(
                named("arguments with spaces, quotes, empty strings and non-ASCII text", Case.of(dir ->
                        new ProcessBuilder("sh", "-c", "for a; do printf '[%s]\\n' \"$a\"; done", "sh",
                                "two words", "'single'", "\"double\"", "", "tab\there", "naïve 日本語 ✓", " "))),
                named("environment variable added", Case.of(dir -> {
                    ProcessBuilder builder = new ProcessBuilder("env");
                    builder.environment().put("FORKWISE_ADDED", "yes = really");
                    return builder;
                }).sortingStdout()),
                named("environment variables removed, PATH among them", Case.of(dir -> {
                    ProcessBuilder builder = new ProcessBuilder("env");
                    builder.environment().remove("HOME");
                    builder.environment().remove("PATH");
                    return builder;
                }).sortingStdout()),
                named("environment cleared", Case.of(dir -> {
                    ProcessBuilder builder = new ProcessBuilder("env");
                    builder.environment().clear();
                    builder.environment().put("ONLY", "this");
                    return builder;
                }).sortingStdout()),
                named("environment untouched", Case.of(dir -> new ProcessBuilder("env")).sortingStdout()),
                named("working directory", Case.of(dir -> new ProcessBuilder("pwd").directory(dir.toFile()))),
                named("relative program in the working directory", Case.of(dir ->
                        new ProcessBuilder("./tool.sh", "arg").directory(executable(dir, "tool.sh",
                                "#!/bin/sh\necho tool \"$1\"\n").getParent().toFile()))),
                named("script without #! runs with /bin/sh", Case.of(dir ->
                        new ProcessBuilder(executable(dir, "plain", "echo \"$0\" \"$1\"\nexit 7\n").toString(), "first"))),
                named("program found on PATH", Case.of(dir -> new ProcessBuilder("sh", "-c", "echo found"))),
                named("stdout to a file", Case.of(dir ->
                        new ProcessBuilder("echo", "to file").redirectOutput(dir.resolve("out").toFile()))),
                named("stdout appended to a file", Case.of(dir ->
                        new ProcessBuilder("echo", "second").redirectOutput(Redirect.appendTo(
                                write(dir, "out", "first\n").toFile())))),
                named("stdin from a file", Case.of(dir ->
                        new ProcessBuilder("cat").redirectInput(write(dir, "in", "from a file\n").toFile()))),
                named("stderr to a file", Case.of(dir ->
                        new ProcessBuilder("sh", "-c", "echo out; echo err >&2")
                                .redirectError(dir.resolve("err").toFile()))),
                named("stdout and stderr discarded", Case.of(dir ->
                        new ProcessBuilder("sh", "-c", "echo out; echo err >&2; exit 4")
                                .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD))),
                named("all three inherited", Case.of(dir -> new ProcessBuilder("sh", "-c", "exit 3").inheritIO())),
                named("redirectErrorStream merges stderr into stdout", Case.of(dir ->
                        new ProcessBuilder("sh", "-c", "echo out; echo err >&2; echo out2").redirectErrorStream(true))),
                named("redirectErrorStream with stdout to a file", Case.of(dir ->
                        new ProcessBuilder("sh", "-c", "echo out; echo err >&2")
                                .redirectErrorStream(true).redirectOutput(dir.resolve("both").toFile()))),
                named("exit value 0", Case.of(dir -> new ProcessBuilder("true"))),
                named("exit value 1", Case.of(dir -> new ProcessBuilder("false"))),
                named("exit value 255", Case.of(dir -> new ProcessBuilder("sh", "-c", "exit 255"))),
                named("killed by SIGTERM", Case.of(dir -> new ProcessBuilder("sh", "-c", "kill -TERM $$"))),
                named("killed by SIGKILL", Case.of(dir -> new ProcessBuilder("sh", "-c", "kill -KILL $$"))),
                named("stdin to a child and back", Case.of(dir -> new ProcessBuilder("cat"))
                        .withStdin(pattern(1 << 20))),
                named("10 MB through stdout", Case.of(dir ->
                        new ProcessBuilder("sh", "-c", "yes 0123456789abcdef | head -c 10485760"))),
                named("signals: mask and ignored set", Case.of(dir ->
                        new ProcessBuilder("grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"))),
                named("missing program", Case.of(dir -> new ProcessBuilder("forkwise-no-such-program"))),
                named("missing absolute program", Case.of(dir -> new ProcessBuilder("/nonexistent/program"))),
                named("empty program name", Case.of(dir -> new ProcessBuilder(""))),
                named("directory as program", Case.of(dir -> new ProcessBuilder(dir.toString()))),
                named("file that is not executable", Case.of(dir ->
                        new ProcessBuilder(write(dir, "data", "echo no\n").toString()))),
                named("missing working directory", Case.of(dir ->
                        new ProcessBuilder("true").directory(dir.resolve("missing").toFile()))),
                named("working directory that is a file", Case.of(dir ->
                        new ProcessBuilder("true").directory(write(dir, "file", "").toFile()))),
                named("missing relative program in a working directory", Case.of(dir ->
                        new ProcessBuilder("./nope").directory(dir.toFile()))),
                named("NUL in an argument", Case.of(dir -> new ProcessBuilder("echo", "a\0b"))),
                named("NUL in the program", Case.of(dir -> new ProcessBuilder("ec\0ho"))),
                named("empty command", Case.of(dir -> new ProcessBuilder())),
                named("null argument", Case.of(dir -> new ProcessBuilder("echo", null))),
                named("stdin from a missing file", Case.of(dir ->
                        new ProcessBuilder("cat").redirectInput(dir.resolve("missing").toFile()))),
                named("stdin from a directory", Case.of(dir -> new ProcessBuilder("cat").redirectInput(dir.toFile()))),
                named("stdout to a directory", Case.of(dir -> new ProcessBuilder("true").redirectOutput(dir.toFile()))),
                named("stdout to a file in a missing directory", Case.of(dir ->
                        new ProcessBuilder("true").redirectOutput(dir.resolve("missing/out").toFile()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameOutcomeAsProcessBuilder(Case scenario) throws Exception {
        Outcome expected = observe(JDK, scenario);
        Outcome actual = observe(FORKWISE, scenario);

        assertThat(actual).isEqualTo(expected);
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
