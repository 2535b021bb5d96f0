package dev.forkwise.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A child JVM for the agent's tests: the test's class path, the options given, one main class. */
final class ChildJvm {

    /** What a child JVM wrote, and how it exited. */
    record Output(List<String> stdout, List<String> stderr, int exitValue) {
        /** {@return the stdout line that starts with {@code prefix}, without it} */
        String value(String prefix) {
            return stdout.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                    .findFirst().orElseThrow(() -> new AssertionError("no line " + prefix + " in " + this));
        }
    }

    private ChildJvm() {
    }

    /** {@return the forkwise jar as it ships, which the build's agent execution names} */
    static Path agentJar() {
        String jar = System.getProperty("forkwise.agent.jar");
        assertThat(jar).as("system property forkwise.agent.jar (set by the pom's agent execution)").isNotNull();
        assertThat(Path.of(jar)).exists();
        return Path.of(jar);
    }

    /** {@return the options that load the agent with native access, as README gives them} */
    static List<String> withAgent() {
        return List.of("-javaagent:" + agentJar(), "--enable-native-access=ALL-UNNAMED");
    }

    /** Runs {@code main} with {@code options} and {@code args}; fails unless it exits 0. */
    static Output run(List<String> options, Class<?> main, String... args) throws IOException, InterruptedException {
        Output output = start(options, main, args).finish();
        assertThat(output.exitValue()).as("exit value of %s", output).isZero();
        return output;
    }

    /** A started child JVM. */
    record Running(Process process, CompletableFuture<List<String>> stdout, CompletableFuture<List<String>> stderr) {
        Output finish() throws InterruptedException {
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("child JVM exited").isTrue();
            return new Output(stdout.join(), stderr.join(), process.exitValue());
        }
    }

    /** Starts {@code main} with {@code options} and {@code args}; its output is collected as it comes. */
    static Running start(List<String> options, Class<?> main, String... args) throws IOException {
        Process process = new ProcessBuilder(command(options, main, args)).start();
        return new Running(process, lines(process.getInputStream()), lines(process.getErrorStream()));
    }

    /** {@return the command that runs {@code main} with {@code options} and {@code args}} */
    static List<String> command(List<String> options, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Writes an executable jar to {@code dir} whose manifest holds {@code attributes}. */
    static Path jar(Path dir, String manifest, Class<?>... classes) throws IOException {
        Path jar = dir.resolve("app.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar),
                new java.util.jar.Manifest(new java.io.ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8))))) {
            for (Class<?> type : classes) {
                String entry = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new java.util.jar.JarEntry(entry));
                try (var in = type.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    private static CompletableFuture<List<String>> lines(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> new String(readAll(in), StandardCharsets.UTF_8).lines().toList(),
                runnable -> Thread.ofPlatform().daemon().start(runnable));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
