package dev.forkwise;

import dev.forkwise.support.Starter;
import dev.forkwise.support.Await;
import dev.forkwise.support.Gate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The methods of the returned {@link Process}, compared with {@code ProcessBuilder}'s: each test
 * records what a sequence of calls observes, once per spawner, and the two records must be equal.
 */
@Tag("parity")
class ProcessApiParityTest {

    /**
     * Runs {@code scenario} with each spawner: forkwise's record must be what the test expects and
     * what ProcessBuilder's is. (In the fallback run forkwise is ProcessBuilder, so only the
     * expectation can fail there.)
     */
    private static void both(Scenario scenario, String... expected) throws Exception {
        List<String> jdk = scenario.observe(ProcessBuilder::start);
        List<String> forkwise = scenario.observe(Spawner::start);
        assertThat(forkwise).as("forkwise").containsExactly(expected);
        assertThat(jdk).as("ProcessBuilder, the oracle").containsExactly(expected);
    }

    interface Scenario {
        List<String> observe(Starter starter) throws Exception;
    }

    @Test
    void exitValueWhileRunningThrowsAndWaitForWithTimeoutReportsBothStates() throws Exception {
        both(starter -> {
            List<String> log = new ArrayList<>();
            Process process = starter.start(new ProcessBuilder("sh", "-c", "read line; exit 5"));   // runs until its stdin closes
            log.add("alive " + process.isAlive());
            log.add("exitValue " + describe(catchThrowable(process::exitValue)));
            log.add("toString " + process.toString().replace(Long.toString(process.pid()), "PID"));
            log.add("short wait " + process.waitFor(10, TimeUnit.MILLISECONDS));
            process.getOutputStream().close();
            log.add("long wait " + process.waitFor(60, TimeUnit.SECONDS));
            log.add("alive " + process.isAlive() + ", exit " + process.exitValue());
            log.add("toString " + process.toString().replace(Long.toString(process.pid()), "PID"));
            log.add("null unit " + describe(catchThrowable(() -> process.waitFor(1, null))));
            return log;
        },
                "alive true",
                "exitValue java.lang.IllegalThreadStateException: process hasn't exited",
                "toString Process[pid=PID, exitValue=\"not exited\"]",
                "short wait false",
                "long wait true",
                "alive false, exit 5",
                "toString Process[pid=PID, exitValue=5]",
                "null unit java.lang.NullPointerException: Cannot invoke \"java.util.concurrent.TimeUnit.toNanos(long)\" because \"unit\" is null");
    }

    @Test
    void destroyAndDestroyForciblyGiveTheSignalExitValuesAndCloseTheStreams(@TempDir Path dir) throws Exception {
        both(starter -> {
            List<String> log = new ArrayList<>();
            Process term = starter.start(new ProcessBuilder("sleep", "infinity"));
            log.add("normal termination " + term.supportsNormalTermination());
            term.destroy();
            log.add("after destroy " + term.waitFor());
            log.add("read after destroy " + describe(catchThrowable(() -> term.getInputStream().read())));
            term.destroy();   // after exit: nothing happens
            Gate gate = Gate.in(dir);
            Path survived = dir.resolve("survived-" + System.nanoTime());
            Process kill = starter.start(new ProcessBuilder(List.of("sh", "-c",
                    "trap '' TERM; echo ready; read line < \"$0\"; echo yes > \"$1\"; exec sleep infinity",
                    gate.fifo().toString(), survived.toString())));
            log.add("line " + kill.inputReader().readLine());   // the trap is installed from here
            kill.destroy();
            // SIGTERM was pending before destroy() returned: a shell that then passes the gate ignored it.
            gate.release(1);
            // the shell creates the file, then writes to it: wait for the word, not for the file
            Await.until("the shell passed the gate after destroy()",
                    () -> Files.exists(survived) && survived.toFile().length() > 0);
            gate.close();
            log.add("survived SIGTERM " + Files.readString(survived).strip());
            log.add("same object " + (kill.destroyForcibly() == kill));
            log.add("after destroyForcibly " + kill.waitFor());
            return log;
        },
                "normal termination true",
                "after destroy 143",
                "read after destroy java.io.IOException: Stream closed",
                "line ready",
                "survived SIGTERM yes",
                "same object true",
                "after destroyForcibly 137");
    }

    @Test
    void redirectedStreamsAreNullStreams() throws Exception {
        both(starter -> {
            List<String> log = new ArrayList<>();
            Process process = starter.start(new ProcessBuilder("true")
                    .redirectInput(Redirect.INHERIT).redirectOutput(Redirect.DISCARD).redirectErrorStream(true));
            InputStream out = process.getInputStream();
            InputStream err = process.getErrorStream();
            OutputStream in = process.getOutputStream();
            log.add("out read " + out.read() + ", available " + out.available());
            log.add("err read " + err.read() + ", available " + err.available());
            log.add("in write " + describe(catchThrowable(() -> in.write(1))));
            log.add("exit " + process.waitFor());
            return log;
        },
                "out read -1, available 0",
                "err read -1, available 0",
                "in write java.io.IOException: Stream closed",
                "exit 0");
    }

    @Test
    void outputIsReadableAfterTheChildExitedThenEndOfFile() throws Exception {
        both(starter -> {
            List<String> log = new ArrayList<>();
            Process process = starter.start(new ProcessBuilder("sh", "-c", "printf 'left behind'; printf oops >&2"));
            log.add("exit " + process.waitFor());
            log.add("available " + process.getInputStream().available());
            log.add("stdout " + new String(process.getInputStream().readAllBytes()));
            log.add("then " + process.getInputStream().read());
            log.add("stderr " + new String(process.getErrorStream().readAllBytes()));
            process.getInputStream().close();
            log.add("after close " + describe(catchThrowable(() -> process.getInputStream().read())));
            return log;
        },
                "exit 0",
                "available 11",
                "stdout left behind",
                "then -1",
                "stderr oops",
                "after close java.io.IOException: Stream closed");
    }

    @Test
    void writingToAChildThatClosedItsStdinFailsWithAnIOException() throws Exception {
        both(starter -> {
            List<String> log = new ArrayList<>();
            Process process = starter.start(new ProcessBuilder("sh", "-c", "exec 0<&-; exit 3"));
            Throwable failure = catchThrowable(() -> {
                OutputStream in = process.getOutputStream();
                for (int i = 0; i < 1024; i++) {
                    in.write(new byte[1024]);
                    in.flush();
                }
            });
            log.add("write " + (failure == null ? "succeeded" : failure.getClass().getName()));
            log.add("exit " + process.waitFor());
            return log;
        },
                "write java.io.IOException",
                "exit 3");
    }

    /**
     * Both end a blocked read with "Stream closed". forkwise's reader wakes at once, while the child
     * still waits for input (its stdin stays open until the reader has ended); ProcessBuilder's
     * stays in read(2) until the child writes, which the test lets it do by closing the child's
     * stdin, and which is not asserted (it would take a wait to see).
     */
    @Test
    void closingAStreamFromAnotherThreadEndsABlockedRead() throws Exception {
        String jdk = blockedReadEndedByClose(ProcessBuilder::start, true);
        boolean forkwiseWakesAtOnce = Spawner.mechanism().launch() == Mechanism.Launch.POSIX_SPAWN;
        String forkwise = blockedReadEndedByClose(Spawner::start, !forkwiseWakesAtOnce);

        assertThat(jdk).isEqualTo("java.io.IOException: Stream closed");
        assertThat(forkwise).isEqualTo(forkwiseWakesAtOnce ? "java.io.IOException: Stream closed; the child still waited" : jdk);
    }

    private static String blockedReadEndedByClose(Starter starter, boolean letTheChildWrite) throws Exception {
        Process process = starter.start(new ProcessBuilder("sh", "-c", "read line; echo late"));
        CompletableFuture<String> failure = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(() ->
                failure.complete(describe(catchThrowable(() -> process.getInputStream().read()))));
        try {
            Await.blockedIn(reader, "read");
            process.getInputStream().close();
            if (letTheChildWrite) {
                process.getOutputStream().close();   // the child reads end of file, writes, exits
                return failure.get(60, TimeUnit.SECONDS);
            }
            String outcome = failure.get(60, TimeUnit.SECONDS);
            return outcome + (process.isAlive() ? "; the child still waited" : "; the child had exited");
        } finally {
            process.destroyForcibly().waitFor();
            reader.join();
        }
    }

    @Test
    void closingTheStreamsGivesTheirDescriptorsBackOnce(@TempDir Path dir) throws Exception {
        both(starter -> {
            List<String> log = new ArrayList<>();
            starter.start(new ProcessBuilder("true").inheritIO()).waitFor();
            long before = OsProbe.openPipes();
            Gate gate = Gate.in(dir);   // holds the child, which has no stdin left, until its exit is asked for
            Process process = starter.start(new ProcessBuilder(gate.thenRun("exit 0")));
            log.add("pipe ends added by the start " + (OsProbe.openPipes() - before));
            for (int i = 0; i < 2; i++) {
                process.getOutputStream().close();
                process.getInputStream().close();
                process.getErrorStream().close();
            }
            log.add("after closing twice, before the exit " + (OsProbe.openPipes() - before)
                    + ", alive " + process.isAlive());
            log.add("read after close " + describe(catchThrowable(() -> process.getInputStream().read())));
            gate.release(1);
            log.add("exit " + process.waitFor());
            gate.close();
            return log;
        },
                "pipe ends added by the start 3",
                "after closing twice, before the exit 0, alive true",
                "read after close java.io.IOException: Stream closed",
                "exit 0");
    }

    @Test
    void handlesAndOnExitDescribeTheChild() throws Exception {
        both(starter -> {
            List<String> log = new ArrayList<>();
            Process process = starter.start(new ProcessBuilder("sh", "-c", "sleep infinity & echo started; read line; kill $!; wait"));
            log.add("line " + process.inputReader().readLine());   // one background child from here until stdin closes
            ProcessHandle handle = process.toHandle();
            log.add("same pid " + (handle.pid() == process.pid()));
            log.add("handle alive " + handle.isAlive());
            log.add("parent is this JVM " + handle.parent().map(ProcessHandle::pid).equals(
                    Optional.of(ProcessHandle.current().pid())));
            log.add("children " + process.children().count());
            log.add("command " + handle.info().command().map(c -> c.endsWith("sh")).orElse(false));
            process.getOutputStream().close();   // the shell's read returns: it kills its child and exits
            log.add("onExit is the process " + (process.onExit().get(30, TimeUnit.SECONDS) == process));
            log.add("handle onExit " + (handle.onExit().get(30, TimeUnit.SECONDS).pid() == process.pid()));
            log.add("handle alive after exit " + handle.isAlive());
            log.add("destroy after exit " + handle.destroy());
            return log;
        },
                "line started",
                "same pid true",
                "handle alive true",
                "parent is this JVM true",
                "children 1",
                "command true",
                "onExit is the process true",
                "handle onExit true",
                "handle alive after exit false",
                "destroy after exit false");
    }

    private static String describe(Throwable failure) {
        return failure == null ? "no exception" : failure.getClass().getName() + ": " + failure.getMessage();
    }
}
