package dev.forkwise;

import dev.forkwise.support.Starter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
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

    private static List<String> both(Scenario scenario) throws Exception {
        List<String> jdk = scenario.observe(ProcessBuilder::start);
        List<String> forkwise = scenario.observe(Spawner::start);
        assertThat(forkwise).as("forkwise vs ProcessBuilder").isEqualTo(jdk);
        return forkwise;
    }

    interface Scenario {
        List<String> observe(Starter starter) throws Exception;
    }

    @Test
    void exitValueWhileRunningThrowsAndWaitForWithTimeoutReportsBothStates() throws Exception {
        List<String> seen = both(starter -> {
            List<String> log = new ArrayList<>();
            Process process = starter.start(new ProcessBuilder("sleep", "0.5"));
            log.add("alive " + process.isAlive());
            log.add("exitValue " + describe(catchThrowable(process::exitValue)));
            log.add("toString " + process.toString().replace(Long.toString(process.pid()), "PID"));
            log.add("short wait " + process.waitFor(10, TimeUnit.MILLISECONDS));
            log.add("long wait " + process.waitFor(30, TimeUnit.SECONDS));
            log.add("alive " + process.isAlive() + ", exit " + process.exitValue());
            log.add("toString " + process.toString().replace(Long.toString(process.pid()), "PID"));
            log.add("null unit " + describe(catchThrowable(() -> process.waitFor(1, null))));
            return log;
        });
        assertThat(seen).contains("exitValue java.lang.IllegalThreadStateException: process hasn't exited");
    }

    @Test
    void destroyAndDestroyForciblyGiveTheSignalExitValuesAndCloseTheStreams() throws Exception {
        List<String> seen = both(starter -> {
            List<String> log = new ArrayList<>();
            Process term = starter.start(new ProcessBuilder("sleep", "30"));
            log.add("normal termination " + term.supportsNormalTermination());
            term.destroy();
            log.add("after destroy " + term.waitFor());
            log.add("read after destroy " + describe(catchThrowable(() -> term.getInputStream().read())));
            term.destroy();   // after exit: nothing happens
            Process kill = starter.start(new ProcessBuilder("sh", "-c", "trap '' TERM; exec sleep 30"));
            Thread.sleep(200);   // let the shell install its trap
            kill.destroy();
            log.add("ignores SIGTERM " + kill.waitFor(300, TimeUnit.MILLISECONDS));
            log.add("same object " + (kill.destroyForcibly() == kill));
            log.add("after destroyForcibly " + kill.waitFor());
            return log;
        });
        assertThat(seen).contains("after destroy 143", "after destroyForcibly 137");
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
        });
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
        });
    }

    @Test
    void writingToAChildThatClosedItsStdinFailsWithAnIOException() throws Exception {
        both(starter -> {
            List<String> log = new ArrayList<>();
            Process process = starter.start(new ProcessBuilder("sh", "-c", "exec 0<&-; sleep 1"));
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
        });
    }

    /**
     * Both end the blocked read with "Stream closed". forkwise's reader wakes at once, while the
     * child still waits for input; ProcessBuilder's stays in read(2) until the child writes, which
     * this test lets it do by closing the child's stdin.
     */
    @Test
    void closingAStreamFromAnotherThreadEndsABlockedRead() throws Exception {
        String jdk = blockedReadEndedByClose(ProcessBuilder::start);
        String forkwise = blockedReadEndedByClose(Spawner::start);

        assertThat(jdk).isEqualTo("java.io.IOException: Stream closed once the child wrote");
        assertThat(forkwise).isEqualTo(Spawner.mechanism().launch() == Mechanism.Launch.POSIX_SPAWN
                ? "java.io.IOException: Stream closed while the child still waited"
                : jdk);
    }

    private static String blockedReadEndedByClose(Starter starter) throws Exception {
        Process process = starter.start(new ProcessBuilder("sh", "-c", "read line; echo late"));
        CompletableFuture<Boolean> childWrote = new CompletableFuture<>();
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            Throwable failure = catchThrowable(() -> process.getInputStream().read());
            return describe(failure) + (childWrote.isDone() ? " once the child wrote" : " while the child still waited");
        });
        Thread.sleep(300);   // let the reader block; closing earlier gives the same outcome
        process.getInputStream().close();
        try {
            return reader.get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException stillBlocked) {
            childWrote.complete(true);
            process.getOutputStream().close();   // the child reads end of file, writes, exits
            return reader.get(30, TimeUnit.SECONDS);
        } finally {
            process.destroyForcibly().waitFor();
        }
    }

    @Test
    void closingTheStreamsGivesTheirDescriptorsBackOnce() throws Exception {
        both(starter -> {
            List<String> log = new ArrayList<>();
            starter.start(new ProcessBuilder("true").inheritIO()).waitFor();
            long before = OsProbe.openPipes();
            Process process = starter.start(new ProcessBuilder("sleep", "1"));
            log.add("pipe ends added by the start " + (OsProbe.openPipes() - before));
            for (int i = 0; i < 2; i++) {
                process.getOutputStream().close();
                process.getInputStream().close();
                process.getErrorStream().close();
            }
            log.add("after closing twice, before the exit " + (OsProbe.openPipes() - before)
                    + ", alive " + process.isAlive());
            log.add("read after close " + describe(catchThrowable(() -> process.getInputStream().read())));
            log.add("exit " + process.waitFor());
            return log;
        });
    }

    @Test
    void handlesAndOnExitDescribeTheChild() throws Exception {
        both(starter -> {
            List<String> log = new ArrayList<>();
            Process process = starter.start(new ProcessBuilder("sh", "-c", "sleep 5 & echo started; read line; kill $!; wait"));
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
        });
    }

    private static String describe(Throwable failure) {
        return failure == null ? "no exception" : failure.getClass().getName() + ": " + failure.getMessage();
    }
}
