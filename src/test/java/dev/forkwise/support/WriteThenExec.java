package dev.forkwise.support;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The canonical workload of design.md §1: each of T threads loops writing a tiny shell script to a
 * file of its own with {@link FileOutputStream} (whose descriptor is not close-on-exec), making it
 * executable, starting it and waiting for it. With a spawner that lets a concurrent child hold the
 * write descriptor, some starts fail with {@code ETXTBSY} ("Text file busy").
 *
 * <p>Test support: {@code EtxtbsyRaceTest} runs it, and so does the demo ({@code EtxtbsyDemo}), which
 * is compiled with the test sources.
 */
public final class WriteThenExec {

    /**
     * The outcome of one run.
     *
     * @param starts        starts that succeeded
     * @param busy          starts that failed with ETXTBSY
     * @param otherFailures starts that failed otherwise, or children that exited non-zero
     * @param nanos         wall-clock time of the run
     */
    public record Result(long starts, long busy, long otherFailures, long nanos) {
        /** {@return successful starts per second} */
        public double startsPerSecond() {
            return starts / (nanos / 1e9);
        }
    }

    private static final byte[] SCRIPT = "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern TEXT_FILE_BUSY = Pattern.compile("error(: |=)26\\b");

    private WriteThenExec() {
    }

    /** Runs {@code threads} x {@code iterations} write-then-exec loops in {@code directory}. */
    public static Result run(Starter starter, int threads, int iterations, Path directory) throws InterruptedException {
        return run(starter, threads, iterations, directory, false);
    }

    /**
     * Runs the workload; with {@code stopAtFirstBusy}, every thread stops once any start has failed
     * with ETXTBSY (for showing that the race exists, quickly).
     */
    public static Result run(Starter starter, int threads, int iterations, Path directory, boolean stopAtFirstBusy)
            throws InterruptedException {
        AtomicLong starts = new AtomicLong();
        AtomicLong busy = new AtomicLong();
        AtomicLong other = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Path script = directory.resolve("tool-" + t);
            workers.add(Thread.ofPlatform().name("write-then-exec-" + t).start(() -> {
                awaitQuietly(go);
                for (int i = 0; i < iterations && !stop.get(); i++) {
                    writeExecutable(script);
                    try {
                        Process process = starter.start(new ProcessBuilder(script.toString()));
                        starts.incrementAndGet();
                        if (process.waitFor() != 0) {
                            other.incrementAndGet();
                        }
                    } catch (IOException e) {
                        if (isTextFileBusy(e)) {
                            busy.incrementAndGet();
                            if (stopAtFirstBusy) {
                                stop.set(true);
                            }
                        } else {
                            other.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        long begin = System.nanoTime();
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        return new Result(starts.get(), busy.get(), other.get(), System.nanoTime() - begin);
    }

    /**
     * Runs the workload until the first ETXTBSY, for at most {@code rounds} rounds, each of which
     * stops at the first ETXTBSY: the control that shows the race exists on this machine.
     * {@return the rounds' totals}
     */
    public static Result untilFirstBusy(Starter starter, int threads, int iterations, Path directory, int rounds)
            throws InterruptedException {
        long starts = 0;
        long busy = 0;
        long other = 0;
        long nanos = 0;
        for (int round = 0; round < rounds && busy == 0; round++) {
            Result result = run(starter, threads, iterations, directory, true);
            starts += result.starts();
            busy += result.busy();
            other += result.otherFailures();
            nanos += result.nanos();
        }
        return new Result(starts, busy, other, nanos);
    }

    /** Skips the calling test where the kernel executes a file open for writing: there is no race to show. */
    public static void skipUnlessTheKernelRefusesBusyExecutables(Path dir) throws IOException, InterruptedException {
        Skip.unless(kernelRefusesToExecuteAFileOpenForWriting(dir), "this kernel (" + System.getProperty("os.version")
                + ") executes a file that is open for writing, so there is no ETXTBSY race to show (Linux 6.11 and 6.12"
                + " dropped the check)");
    }

    /**
     * Skips the calling test where the race cannot be shown: on a kernel without the check, and
     * on one processor, where another thread's child is almost never created inside a writer's
     * open-to-close window.
     */
    public static void skipUnlessTheRaceCanShow(Path dir) throws IOException, InterruptedException {
        skipUnlessTheKernelRefusesBusyExecutables(dir);
        Skip.unless(Runtime.getRuntime().availableProcessors() >= 2, "one processor: another thread's child is"
                + " almost never created inside a writer's open-to-close window, so the race cannot be shown here");
    }

    /**
     * Executes a script while this JVM holds it open for writing: {@return whether the kernel
     * refuses with ETXTBSY}, which is what makes the race possible at all (Linux 6.11 and 6.12
     * briefly dropped the check)
     */
    private static boolean kernelRefusesToExecuteAFileOpenForWriting(Path dir) throws IOException, InterruptedException {
        Path script = dir.resolve("held-open");
        try (FileOutputStream out = new FileOutputStream(script.toFile())) {
            out.write(SCRIPT);
            if (!script.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + script + " executable");
            }
            try {
                new ProcessBuilder(script.toString()).start().waitFor();
                return false;
            } catch (IOException e) {
                if (!isTextFileBusy(e)) {
                    throw e;
                }
                return true;
            }
        } finally {
            Files.delete(script);
        }
    }

    /** {@return whether {@code e} reports ETXTBSY, in any JDK's or forkwise's wording} */
    public static boolean isTextFileBusy(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && TEXT_FILE_BUSY.matcher(t.getMessage()).find()) {
                return true;
            }
        }
        return false;
    }

    private static void writeExecutable(Path script) {
        try {
            Files.deleteIfExists(script);
            try (FileOutputStream out = new FileOutputStream(script.toFile())) {
                out.write(SCRIPT);
            }
            if (!script.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + script + " executable");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
