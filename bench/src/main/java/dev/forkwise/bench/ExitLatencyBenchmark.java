package dev.forkwise.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Exit-detection latency: from the moment a running child is killed to the moment
 * {@code waitFor()} returns in the parent. The child ({@code sleep}) is started outside the
 * measurement and given a millisecond to settle (killed earlier, a child still in its dynamic
 * loader dies faster, and how far it got depends on the spawner); the measured operation sends
 * SIGKILL through the process handle (one system call for both contenders) and waits. What differs is how the exit reaches the waiter: forkwise's one
 * epoll thread on the child's pidfd, or {@code ProcessBuilder}'s reaper thread blocked in
 * {@code waitpid}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ExitLatencyBenchmark {

    @Param({"FORKWISE", "PROCESS_BUILDER"})
    public Contender contender;

    private Process child;

    @Setup(Level.Invocation)
    public void startChild() throws IOException {
        child = contender.start(new ProcessBuilder("sleep", "1000").inheritIO());
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Benchmark
    public int killAndWaitFor() throws InterruptedException {
        child.toHandle().destroyForcibly();
        return child.waitFor();
    }

    @TearDown(Level.Invocation)
    public void reap() throws InterruptedException {
        child.destroyForcibly().waitFor();
    }
}
