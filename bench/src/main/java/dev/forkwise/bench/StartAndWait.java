package dev.forkwise.bench;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.NuProcessBuilder;
import dev.forkwise.Spawner;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One start-and-wait of a command, the way each contender's users write it. */
final class StartAndWait {

    private StartAndWait() {
    }

    /** {@code Spawner.start(builder).waitFor()}. */
    static int forkwise(ProcessBuilder builder) throws IOException, InterruptedException {
        return Spawner.start(builder).waitFor();
    }

    /** {@code builder.start().waitFor()}, with the JVM's launch mechanism. */
    static int processBuilder(ProcessBuilder builder) throws IOException, InterruptedException {
        return builder.start().waitFor();
    }

    /**
     * NuProcess 3.0.0: {@code start()} then {@code waitFor(0, ...)}, which reports
     * {@code Integer.MIN_VALUE} for a start that failed.
     */
    static int nuProcess(List<String> command) throws InterruptedException {
        NuProcess process = new NuProcessBuilder(new NuAbstractProcessHandler() { }, command).start();
        return process == null ? Integer.MIN_VALUE : process.waitFor(0, TimeUnit.SECONDS);
    }
}
