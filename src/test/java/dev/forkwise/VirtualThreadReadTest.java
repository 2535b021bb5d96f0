package dev.forkwise;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a blocking native read on a virtual thread: it holds its carrier. In a JVM with two
 * carriers, a thousand virtual threads each start {@code cat} and block reading it; only then do a
 * thousand other virtual threads write what each {@code cat} echoes. If a read held its carrier,
 * the first two readers would starve every writer and the run would hang. The reads must also
 * produce no {@code jdk.VirtualThreadPinned} event.
 */
class VirtualThreadReadTest {

    private static final int THREADS = 1000;

    @Test
    void aThousandVirtualThreadsReadTheirChildrenOnTwoCarriersWithoutPinning(@TempDir Path dir) throws Exception {
        Path recording = dir.resolve("pinned.jfr");
        List<String> command = new ArrayList<>(OsProbe.javaCommand(Probe.class, Integer.toString(THREADS),
                recording.toString()));
        command.addAll(1, List.of("-Djdk.virtualThreadScheduler.parallelism=2",
                "-Djdk.virtualThreadScheduler.maxPoolSize=2"));
        Process probe = Spawner.start(new ProcessBuilder(command).redirectErrorStream(true));
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = probe.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            probe.destroyForcibly();
        }

        assertThat(exited).as("finished within two minutes: " + output).isTrue();
        assertThat(output).contains("verified " + THREADS + " of " + THREADS);
        List<RecordedEvent> pinned = RecordingFile.readAllEvents(recording).stream()
                .filter(event -> event.getEventType().getName().equals("jdk.VirtualThreadPinned"))
                .filter(event -> !insideTheRecorder(event))
                .toList();
        assertThat(pinned).as("jdk.VirtualThreadPinned events while reading, with their stacks: %s", pinned).isEmpty();
        assertThat(RecordingFile.readAllEvents(recording)).as("the recording saw the spawns")
                .anyMatch(event -> event.getEventType().getName().equals("dev.forkwise.ProcessStart"));
    }

    /**
     * {@return whether a pinning happened inside JFR's own commit of an event} (a virtual thread
     * that commits one can wait for the recorder's buffers under load): the recorder's business,
     * not a read's, and gone without a recording.
     */
    private static boolean insideTheRecorder(RecordedEvent pinned) {
        return pinned.getStackTrace() != null && pinned.getStackTrace().getFrames().stream()
                .anyMatch(frame -> frame.getMethod().getType().getName().startsWith("jdk.jfr.")
                        || frame.getMethod().getName().equals("commit"));
    }

    /**
     * The child JVM's program: {@code THREADS} readers, then {@code THREADS} writers, all virtual,
     * recorded with JFR after a warm-up (which has class initialisation, whose waits JFR reports as
     * pinning too).
     */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            int threads = Integer.parseInt(args[0]);
            warmUp();
            // forkwise creates its JFR events only once the recorder has started: warm that up too,
            // after a first start that found no recorder
            try (Recording recording = new Recording()) {
                warmUp();
                recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                recording.enable("dev.forkwise.ProcessStart");
                recording.start();
                run(threads);
                recording.stop();
                recording.dump(Path.of(args[1]));
            }
        }

        private static void warmUp() throws InterruptedException {
            Thread.ofVirtual().start(() -> {
                try {
                    Process cat = Spawner.start(new ProcessBuilder("cat"));
                    cat.getOutputStream().write('x');
                    cat.getOutputStream().close();
                    cat.getInputStream().readAllBytes();
                    cat.waitFor();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }).join();
        }

        private static void run(int threads) {
            List<CompletableFuture<Process>> started = new ArrayList<>();
            List<CompletableFuture<Boolean>> verified = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                byte[] expected = ("line " + i + "\n").repeat(100).getBytes(StandardCharsets.US_ASCII);
                CompletableFuture<Process> child = new CompletableFuture<>();
                CompletableFuture<Boolean> ok = new CompletableFuture<>();
                started.add(child);
                verified.add(ok);
                Thread.ofVirtual().start(() -> {
                    try {
                        Process cat = Spawner.start(new ProcessBuilder("cat"));
                        child.complete(cat);
                        byte[] echoed = cat.getInputStream().readAllBytes();
                        ok.complete(Arrays.equals(echoed, expected) && cat.waitFor() == 0);
                    } catch (Throwable t) {
                        child.completeExceptionally(t);
                        ok.completeExceptionally(t);
                    }
                });
            }
            AtomicInteger writers = new AtomicInteger();
            for (int i = 0; i < threads; i++) {
                byte[] bytes = ("line " + i + "\n").repeat(100).getBytes(StandardCharsets.US_ASCII);
                CompletableFuture<Process> child = started.get(i);
                Thread.ofVirtual().start(() -> {
                    try (var in = child.join().getOutputStream()) {
                        in.write(bytes);
                        writers.incrementAndGet();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
            }
            long good = verified.stream().filter(CompletableFuture::join).count();
            System.out.println("verified " + good + " of " + threads + " (" + writers.get() + " writers)");
        }
    }
}
