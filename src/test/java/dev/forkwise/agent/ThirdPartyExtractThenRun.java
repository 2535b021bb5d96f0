package dev.forkwise.agent;

import com.github.os72.protocjar.Protoc;
import dev.forkwise.support.WriteThenExec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The workload of {@link ThirdPartyExecutableTest}, run in a child JVM so that the agent (or its
 * absence) applies to the whole JVM: {@code THREADS} threads each call protoc-jar's
 * {@code Protoc.runProtoc(new String[] {"--version"}, out, err)} {@code CALLS} times per round, for up
 * to {@code ROUNDS} rounds, stopping after the first round that saw ETXTBSY when {@code STOP-AT-BUSY}
 * is {@code true}. It prints one line: {@code result key=value ...}.
 *
 * <p>Every call extracts protoc (5 MB) into a new temporary directory with a {@code FileOutputStream},
 * closes it and starts it with {@code ProcessBuilder}; another thread's child created while that
 * stream was open holds the file open for writing, so the start can fail with ETXTBSY. protoc-jar
 * catches a failed start, prints {@code protoc-jar: caught exception, retrying: <exception>} on
 * {@code System.out}, sleeps a second and tries again (three tries), then extracts again under
 * {@code user.home} and tries three more times. The driver counts those lines by replacing
 * {@code System.out}, which is the only way the library reports them:
 * <ul>
 * <li>{@code busyRetries}: retry lines whose exception says error=26 (Text file busy);
 * <li>{@code otherRetries}: retry lines for any other exception;
 * <li>{@code extractions}: protoc extractions (one per call, plus one per fallback to {@code user.home});
 * <li>{@code busyThrown}, {@code otherThrown}: calls that failed to their caller, by cause;
 * <li>{@code ok}, {@code nonZeroExits}: calls that returned exit status 0, or another status.
 * </ul>
 */
public final class ThirdPartyExtractThenRun {

    private static final Pattern TEXT_FILE_BUSY = Pattern.compile("error(: |=)26\\b");
    private static final String RETRY = "protoc-jar: caught exception, retrying: ";
    private static final String EXTRACTION = "protoc-jar: protoc version: ";

    private ThirdPartyExtractThenRun() {
    }

    /**
     * Runs the workload and prints its counts.
     *
     * @param args THREADS CALLS ROUNDS STOP-AT-BUSY
     * @throws Exception if a thread cannot be joined
     */
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int calls = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        boolean stopAtBusy = Boolean.parseBoolean(args[3]);
        PrintStream report = System.out;
        LogCounter log = new LogCounter();
        System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));

        AtomicLong ok = new AtomicLong();
        AtomicLong nonZeroExits = new AtomicLong();
        AtomicLong busyThrown = new AtomicLong();
        AtomicLong otherThrown = new AtomicLong();
        List<String> firstFailures = new ArrayList<>();
        int round = 0;
        while (round < rounds && !(stopAtBusy && log.busyRetries.get() + busyThrown.get() > 0)) {
            round++;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().name("extract-then-run-" + t).start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < calls; i++) {
                        try {
                            int exit = Protoc.runProtoc(new String[] {"--version"},
                                    new ByteArrayOutputStream(), new ByteArrayOutputStream());
                            (exit == 0 ? ok : nonZeroExits).incrementAndGet();
                        } catch (IOException e) {
                            (WriteThenExec.isTextFileBusy(e) ? busyThrown : otherThrown).incrementAndGet();
                            synchronized (firstFailures) {
                                if (firstFailures.size() < 3) {
                                    firstFailures.add(e.toString());
                                }
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            go.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
        }
        System.setOut(report);
        report.printf("result rounds=%d calls=%d ok=%d nonZeroExits=%d busyThrown=%d otherThrown=%d"
                        + " busyRetries=%d otherRetries=%d extractions=%d%n",
                round, (long) round * threads * calls, ok.get(), nonZeroExits.get(), busyThrown.get(),
                otherThrown.get(), log.busyRetries.get(), log.otherRetries.get(), log.extractions.get());
        for (String failure : firstFailures) {
            report.println("failure " + failure);
        }
        if (log.firstRetry.get() != null) {
            report.println("first retry " + log.firstRetry.get());
        }
    }

    /**
     * {@code System.out} while the workload runs: splits what protoc-jar logs into lines and counts
     * them. Each {@code println} writes under the {@code PrintStream}'s lock, so lines arrive whole.
     */
    private static final class LogCounter extends OutputStream {
        final AtomicLong busyRetries = new AtomicLong();
        final AtomicLong otherRetries = new AtomicLong();
        final AtomicLong extractions = new AtomicLong();
        final AtomicReference<String> firstRetry = new AtomicReference<>();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                count(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void count(String text) {
            if (text.startsWith(RETRY)) {
                firstRetry.compareAndSet(null, text);
                (TEXT_FILE_BUSY.matcher(text).find() ? busyRetries : otherRetries).incrementAndGet();
            } else if (text.startsWith(EXTRACTION)) {
                extractions.incrementAndGet();
            }
        }
    }
}
