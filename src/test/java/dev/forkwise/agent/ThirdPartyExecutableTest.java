package dev.forkwise.agent;

import dev.forkwise.Spawner;
import dev.forkwise.support.WriteThenExec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of JDK-8068370 in a library nobody can change: protoc-jar
 * ({@code com.github.os72:protoc-jar}, from Maven Central, unmodified) extracts its protoc binary
 * with a {@code FileOutputStream} into a new temporary directory on every {@code runProtoc} call and
 * starts it with {@code ProcessBuilder}. Called from several threads, a start fails with ETXTBSY when
 * another thread's child still holds the file open for writing; the library works around it by
 * logging {@code caught exception, retrying}, sleeping a second, and trying again. Run under the
 * agent, which routes every {@code ProcessBuilder.start()} through forkwise, the same calls never
 * see ETXTBSY, so never retry. Each side runs {@link ThirdPartyExtractThenRun} in its own JVM, as the
 * agent applies to a whole JVM.
 */
@Tag("agent")
class ThirdPartyExecutableTest {

    private static final int THREADS = 8;
    private static final int CALLS = 8;

    @TempDir
    Path dir;

    @Test
    void underTheAgentProtocJarNeverSeesEtxtbsyNorRetries() throws Exception {
        int rounds = 2;

        Map<String, Long> counts = runDriver(ChildJvm.withAgent(), rounds, false);

        long calls = (long) rounds * THREADS * CALLS;
        assertThat(counts.get("calls")).isEqualTo(calls);
        assertThat(counts.get("busyRetries")).as("ETXTBSY retries inside protoc-jar").isZero();
        assertThat(counts.get("otherRetries")).as("other retries inside protoc-jar").isZero();
        assertThat(counts.get("busyThrown")).as("calls failed with ETXTBSY").isZero();
        assertThat(counts.get("otherThrown")).as("calls failed otherwise").isZero();
        assertThat(counts.get("nonZeroExits")).as("protoc exits other than 0").isZero();
        assertThat(counts.get("ok")).as("calls that ran protoc --version").isEqualTo(calls);
        assertThat(counts.get("extractions")).as("extractions (one per call: no fallback to user.home)")
                .isEqualTo(calls);
    }

    /**
     * The control: without the agent the same workload must hit the race, or the test above proves
     * nothing on this machine. It runs until the first ETXTBSY, for at most 10 rounds (640 calls);
     * the race measured 3 to 11 ETXTBSY retries per round of 64 calls, on two cores and pinned to one.
     */
    @Test
    void withoutTheAgentProtocJarHitsEtxtbsyAndRetries() throws Exception {
        WriteThenExec.skipUnlessTheKernelRefusesBusyExecutables(dir);

        Map<String, Long> counts = runDriver(List.of(), 10, true);

        System.out.printf("protoc-jar without the agent: %d ETXTBSY retries and %d ETXTBSY failures in %d calls%n",
                counts.get("busyRetries"), counts.get("busyThrown"), counts.get("calls"));
        assertThat(counts.get("busyRetries") + counts.get("busyThrown"))
                .as("ETXTBSY retries and failures without the agent").isPositive();
    }

    /**
     * Runs the driver in a new JVM with {@code options}, its temporary files (and protoc-jar's
     * fallback to {@code user.home}) under this test's directory, and returns its counts. The class
     * path leaves out forkwise's own classes, so under the agent forkwise comes from the jar alone.
     */
    private Map<String, Long> runDriver(List<String> options, int rounds, boolean stopAtBusy) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-Xshare:auto", "-Djava.io.tmpdir=" + dir, "-Duser.home=" + home,
                "-cp", classPathWithoutForkwise(), ThirdPartyExtractThenRun.class.getName(),
                String.valueOf(THREADS), String.valueOf(CALLS), String.valueOf(rounds), String.valueOf(stopAtBusy)));
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(300, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(jvm.exitValue()).as(output).isZero();
        String result = output.lines().filter(line -> line.startsWith("result ")).findFirst().orElse(null);
        assertThat(result).as(output).isNotNull();
        System.out.println(output.strip());
        Map<String, Long> counts = new HashMap<>();
        for (String pair : result.substring("result ".length()).split(" ")) {
            String[] keyValue = pair.split("=", 2);
            counts.put(keyValue[0], Long.parseLong(keyValue[1]));
        }
        return counts;
    }

    private static String classPathWithoutForkwise() throws Exception {
        Path forkwise = Path.of(Spawner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().equals(forkwise.toAbsolutePath()))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
