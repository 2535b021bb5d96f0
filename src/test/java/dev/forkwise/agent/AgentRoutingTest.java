package dev.forkwise.agent;

import com.sun.tools.attach.VirtualMachine;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazards of routing a whole JVM: a way into the JDK's launcher that stays unrouted, a routed
 * start that answers differently from the JDK's, a JVM that breaks where the agent cannot route,
 * and a fallback that loops back into the agent. Each case runs {@link RoutedProgram} in a child
 * JVM with the jar as it ships, and compares it with the same program on the plain JDK.
 */
@Tag("agent")
class AgentRoutingTest {

    private static final String SPAWNED = "dev.forkwise.process.SpawnedProcess";
    private static final String JDK_PROCESS = "java.lang.ProcessImpl";
    private static final List<String> RESULTS = List.of("start: ", "exec: ", "pipeline: ", "missing: ");

    @Test
    void everyWayIntoTheJdksLauncherIsRoutedAndAnswersAsTheJdk() throws Exception {
        ChildJvm.Output plain = ChildJvm.run(List.of(), RoutedProgram.class);
        // The verifier checks boot classes only when asked: ask, so that the patched
        // ProcessBuilder and the route class are verified as they load.
        ChildJvm.Output routed = ChildJvm.run(concat(ChildJvm.withAgent(),
                List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+BytecodeVerificationLocal")), RoutedProgram.class);

        for (String result : RESULTS) {
            assertThat(routed.value(result)).as(result).isEqualTo(plain.value(result));
        }
        assertThat(routed.value("start: ")).isEqualTo("out / err exit 3");
        assertThat(routed.value("pipeline: ")).isEqualTo("a b /  exit 0");
        assertThat(List.of(routed.value("start class: "), routed.value("exec class: "), routed.value("pipeline class: ")))
                .containsOnly(SPAWNED);
        assertThat(plain.value("start class: ")).isEqualTo(JDK_PROCESS);
        assertThat(routed.value("active: ")).isEqualTo("true");
        assertThat(routed.value("state: ")).isEqualTo("routing every ProcessBuilder start through forkwise");
        // start, exec, two pipeline stages, and the failed start
        assertThat(routed.value("routed: ")).isEqualTo("5");
        assertThat(routed.value("passed through: ")).isEqualTo("0");
        assertThat(routed.stderr()).as("the routed JVM's standard error").isEqualTo(plain.stderr()).isEmpty();
        assertThat(plain.value("state: ")).isEqualTo("no agent");
    }

    @Test
    void withoutNativeAccessTheAgentRoutesNothingAndWarnsOnce() throws Exception {
        ChildJvm.Output plain = ChildJvm.run(List.of(), RoutedProgram.class);
        ChildJvm.Output agent = ChildJvm.run(List.of("-javaagent:" + ChildJvm.agentJar()), RoutedProgram.class);

        assertUnrouted(agent, plain);
        assertThat(agent.value("state: ")).startsWith("not routing: native access is not enabled")
                .endsWith("run java with --enable-native-access=ALL-UNNAMED");
        assertThat(agent.stderr()).as("the one warning, and nothing else (no restricted-method warning)")
                .hasSize(2).last().asString()
                .startsWith("WARNING: forkwise agent is not routing: native access is not enabled");
    }

    @Test
    void theSwitchTurnsRoutingOffWithoutAWord() throws Exception {
        ChildJvm.Output plain = ChildJvm.run(List.of(), RoutedProgram.class);
        ChildJvm.Output off = ChildJvm.run(concat(ChildJvm.withAgent(), List.of("-Ddev.forkwise.agent=false")),
                RoutedProgram.class);

        assertUnrouted(off, plain);
        assertThat(off.value("state: ")).isEqualTo("not routing: turned off by -Ddev.forkwise.agent=false");
        assertThat(off.stderr()).isEmpty();
    }

    /** Invariant 1 of the package essay: forkwise's own fallback reaches the JDK's code, once. */
    @Test
    void aStartForkwiseHandsBackRunsTheJdksCodeWithoutLooping() throws Exception {
        ChildJvm.Output plain = ChildJvm.run(List.of(), RoutedProgram.class);
        ChildJvm.Output handedBack = ChildJvm.run(ChildJvm.withAgent(), RoutedProgram.class, "fallback-after-premain");

        for (String result : RESULTS) {
            assertThat(handedBack.value(result)).as(result).isEqualTo(plain.value(result));
        }
        assertThat(List.of(handedBack.value("start class: "), handedBack.value("exec class: "),
                handedBack.value("pipeline class: "))).containsOnly(JDK_PROCESS);
        assertThat(handedBack.value("active: ")).isEqualTo("true");
        assertThat(handedBack.value("routed: ")).isEqualTo("0");
        assertThat(handedBack.value("passed through: ")).isEqualTo("5");
    }

    /** Invariant 2: a ProcessBuilder loaded before the agent is redefined, patched. */
    @Test
    void anAgentAttachedAfterProcessBuilderLoadedRoutesTheLaterStarts() throws Exception {
        Process target = new ProcessBuilder(ChildJvm.command(List.of("-XX:+EnableDynamicAgentLoading",
                "--enable-native-access=ALL-UNNAMED"), RoutedProgram.class, "wait-for-attach"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(target.getInputStream(),
                StandardCharsets.UTF_8));
        assertThat(stdout.readLine()).isEqualTo("ready");
        VirtualMachine vm = VirtualMachine.attach(Long.toString(target.pid()));
        try {
            vm.loadAgent(ChildJvm.agentJar().toString());
        } finally {
            vm.detach();
        }
        target.getOutputStream().write('\n');
        target.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
            lines.add(line);
        }
        ChildJvm.Output attached = new ChildJvm.Output(lines, List.of(), target.waitFor());

        assertThat(attached.exitValue()).isZero();
        assertThat(attached.value("start class: ")).isEqualTo(SPAWNED);
        assertThat(attached.value("start: ")).isEqualTo("out / err exit 3");
        assertThat(attached.value("routed: ")).isEqualTo("5");
    }

    /** Invariant 2: another agent's retransformation starts from the patched class, not the JDK's. */
    @Test
    void anotherAgentRetransformingProcessBuilderKeepsTheRouting(@TempDir Path dir) throws Exception {
        Path other = ChildJvm.jar(dir, """
                Manifest-Version: 1.0
                Premain-Class: dev.forkwise.agent.RetransformingAgent
                Can-Retransform-Classes: true
                """, RetransformingAgent.class, RetransformingAgent.class.getClassLoader()
                .loadClass(RetransformingAgent.class.getName() + "$1"));
        ChildJvm.Output output = ChildJvm.run(concat(ChildJvm.withAgent(), List.of("-javaagent:" + other)),
                RoutedProgram.class);

        assertThat(output.value("retransformed: ")).isEqualTo("1");
        assertThat(output.value("start class: ")).isEqualTo(SPAWNED);
        assertThat(output.value("routed: ")).isEqualTo("5");
    }

    @Test
    void anExecutableJarNamingTheAgentInItsManifestIsRouted(@TempDir Path dir) throws Exception {
        Files.copy(ChildJvm.agentJar(), dir.resolve("forkwise.jar"));
        Path app = ChildJvm.jar(dir, """
                Manifest-Version: 1.0
                Main-Class: dev.forkwise.agent.RoutedProgram
                Launcher-Agent-Class: dev.forkwise.RoutingAgent
                Enable-Native-Access: ALL-UNNAMED
                Class-Path: forkwise.jar
                """, RoutedProgram.class);
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", app.toString()).redirectErrorStream(true).start();
        List<String> lines = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        ChildJvm.Output output = new ChildJvm.Output(lines, List.of(), java.waitFor());

        assertThat(output.exitValue()).as("%s", lines).isZero();
        assertThat(output.value("start class: ")).isEqualTo(SPAWNED);
        assertThat(output.value("routed: ")).isEqualTo("5");
        assertThat(lines).as("no warning of any kind").noneMatch(line -> line.contains("WARNING"));
    }

    @Test
    void javaToolOptionsRoutesAJvmStartedFromAPlainCommandLineAndTheJvmSaysSo() throws Exception {
        String options = String.join(" ", ChildJvm.withAgent());
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(List.of(), RoutedProgram.class));
        builder.environment().put("JAVA_TOOL_OPTIONS", options);
        Process java = builder.start();
        java.getOutputStream().close();
        var stderr = java.getErrorStream();
        List<String> lines = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        List<String> errors = new String(stderr.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        ChildJvm.Output output = new ChildJvm.Output(lines, errors, java.waitFor());

        assertThat(output.exitValue()).as("%s", output).isZero();
        assertThat(output.value("start class: ")).isEqualTo(SPAWNED);
        assertThat(output.value("routed: ")).isEqualTo("5");
        // the side effect docs/agent.md warns of: the JVM says so on standard error, and nothing stops it
        assertThat(output.stderr()).containsExactly("Picked up JAVA_TOOL_OPTIONS: " + options);
    }

    @Test
    void aRecordingShowsEachRoutedStartWithItsCallerAndTheAgentsCounts(@TempDir Path dir) throws Exception {
        Path recording = dir.resolve("routed.jfr");
        ChildJvm.run(concat(ChildJvm.withAgent(), List.of("-XX:StartFlightRecording:filename=" + recording)),
                RoutedProgram.class);

        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        List<RecordedEvent> starts = events.stream()
                .filter(event -> event.getEventType().getName().equals("dev.forkwise.ProcessStart")).toList();
        // start, exec and the two stages; the missing program is a failed start
        assertThat(starts).hasSize(4).allSatisfy(start -> assertThat(start.getStackTrace().getFrames())
                .anyMatch(frame -> frame.getMethod().getType().getName().equals(RoutedProgram.class.getName())
                        && frame.getMethod().getName().equals("main")));
        assertThat(events).filteredOn(event -> event.getEventType().getName().equals("dev.forkwise.ProcessStartFailed"))
                .hasSize(1);
        RecordedEvent statistics = events.stream()
                .filter(event -> event.getEventType().getName().equals("dev.forkwise.RoutingStatistics"))
                .reduce((first, last) -> last).orElseThrow(() -> new AssertionError("no RoutingStatistics event"));
        assertThat(statistics.getBoolean("active")).isTrue();
        assertThat(statistics.getLong("routed")).isEqualTo(5);
        assertThat(statistics.getLong("passedThrough")).isZero();
    }

    private static void assertUnrouted(ChildJvm.Output agent, ChildJvm.Output plain) {
        for (String result : RESULTS) {
            assertThat(agent.value(result)).as(result).isEqualTo(plain.value(result));
        }
        assertThat(List.of(agent.value("start class: "), agent.value("exec class: "), agent.value("pipeline class: ")))
                .containsOnly(JDK_PROCESS);
        assertThat(agent.value("active: ")).isEqualTo("false");
        assertThat(agent.value("routed: ")).isEqualTo("0");
        assertThat(agent.value("passed through: ")).isEqualTo("0");
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
