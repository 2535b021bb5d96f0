package dev.forkwise;

import dev.forkwise.process.OutputPump;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A child's standard output or error, read asynchronously: collected whole, or handed to a
 * callback chunk by chunk or line by line, without a thread per stream. Obtained from
 * {@link ChildProcess#stdout()} and {@link ChildProcess#stderr()}; for the common case,
 * {@link Spawner#run(ProcessBuilder)} collects both.
 *
 * {@snippet :
 * ChildProcess server = Spawner.start(new ProcessBuilder("./server"), SpawnOptions.defaults());
 * server.stdout().lines(StandardCharsets.UTF_8, line -> log.info(line));
 * server.stderr().lines(StandardCharsets.UTF_8, line -> log.warn(line));
 * }
 *
 * <h2>How it reads</h2>
 * forkwise reads the pipe on the thread that watches every child, with non-blocking reads. The
 * first time either output of a child is read through this class, forkwise reads both, so the
 * child can never block on the other output: what nobody has asked for yet is kept in memory
 * until someone does (or for good, if no one does: use {@link #discard()} to drop it). The
 * output's {@code InputStream} ({@link Process#getInputStream()}) then refuses reads; an output
 * already read through its stream cannot be read here.
 *
 * <p>Callbacks run one at a time per output, on virtual threads unless an executor is given, and
 * the next chunk is read only after the callback returns: a slow consumer slows the child down (its
 * writes block on the full pipe) instead of filling memory. A callback that throws ends the
 * callbacks: the rest of the output is read and dropped and the returned future completes with the
 * exception. As with {@code ProcessBuilder}'s streams, the output ends when the child closes it,
 * or once the child has exited and the pipe is drained. Where forkwise delegates to
 * {@code ProcessBuilder} ({@link Mechanism.Launch#PROCESS_BUILDER}), each claimed output is read
 * on a virtual thread of its own instead, and ends only when every holder of the pipe has closed
 * it, a grandchild that inherited it included. Futures complete exceptionally with
 * {@code IOException: Stream closed} if the stream is closed meanwhile, by
 * {@link Process#destroy()} for one.
 *
 * <p>Successive calls of one callback may run on different virtual threads, none of them the
 * thread that asked for them, so a {@code ThreadLocal} the caller set (a logging framework's
 * mapped diagnostic context, for one) is not seen by the callback: capture what it needs in the
 * lambda, or pass an executor that runs it where that state is set.
 *
 * <p>Each output can be claimed once: a second call of any method of this class throws
 * {@link IllegalStateException}. This class is thread-safe.
 */
public final class ProcessOutput {

    /** Where the bytes come from: attaches a sink to the pump of one output, or ends it at once. */
    @FunctionalInterface
    interface Source {
        void attach(OutputPump.Sink sink);
    }

    /** Where callbacks run unless an executor is given: a virtual thread per call. */
    static final ExecutorService CALLBACKS =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("forkwise-output-", 0).factory());

    private final Source source;
    private final String name;
    private final AtomicBoolean claimed = new AtomicBoolean();

    ProcessOutput(Source source, String name) {
        this.source = source;
        this.name = name;
    }

    /**
     * {@return a future completed with every byte of the output}, once it has ended. It is
     * completed on the common pool, never on the watcher thread.
     *
     * @throws IllegalStateException if this output was claimed already
     */
    public CompletableFuture<byte[]> bytes() {
        OutputSinks.Collect sink = new OutputSinks.Collect();
        claim(sink);
        return sink.done.thenApplyAsync(bytes -> bytes);
    }

    /**
     * {@return a future completed with the output decoded with {@code charset}} (malformed input
     * replaced), once it has ended.
     *
     * @param charset the output's encoding
     * @throws IllegalStateException if this output was claimed already
     */
    public CompletableFuture<String> text(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        return bytes().thenApply(bytes -> new String(bytes, charset));
    }

    /**
     * Calls {@code consumer} with each chunk of the output as it arrives (read-only buffers, at most
     * 64 KiB each), one call at a time, on virtual threads.
     *
     * @param consumer called with each chunk
     * @return a future completed after the last call, once the output has ended
     * @throws IllegalStateException if this output was claimed already
     */
    public CompletableFuture<Void> chunks(Consumer<? super ByteBuffer> consumer) {
        return chunks(consumer, CALLBACKS);
    }

    /**
     * Calls {@code consumer} with each chunk of the output, one call at a time, on {@code executor}.
     *
     * @param consumer called with each chunk
     * @param executor where the calls run
     * @return a future completed after the last call, once the output has ended
     * @throws IllegalStateException if this output was claimed already
     */
    public CompletableFuture<Void> chunks(Consumer<? super ByteBuffer> consumer, Executor executor) {
        OutputSinks.Callbacks sink = new OutputSinks.Callbacks(
                Objects.requireNonNull(consumer, "consumer"), Objects.requireNonNull(executor, "executor"));
        claim(sink);
        return sink.done;
    }

    /**
     * Calls {@code consumer} with each line of the output, decoded with {@code charset} and split as
     * {@code BufferedReader.readLine} splits, one call at a time, on virtual threads.
     *
     * @param charset  the output's encoding; malformed input is replaced
     * @param consumer called with each line, without its terminator
     * @return a future completed after the last line, once the output has ended
     * @throws IllegalStateException if this output was claimed already
     */
    public CompletableFuture<Void> lines(Charset charset, Consumer<? super String> consumer) {
        return lines(charset, consumer, CALLBACKS);
    }

    /**
     * Calls {@code consumer} with each line of the output, one call at a time, on {@code executor}.
     *
     * @param charset  the output's encoding; malformed input is replaced
     * @param consumer called with each line, without its terminator
     * @param executor where the calls run
     * @return a future completed after the last line, once the output has ended
     * @throws IllegalStateException if this output was claimed already
     */
    public CompletableFuture<Void> lines(Charset charset, Consumer<? super String> consumer, Executor executor) {
        OutputSinks.Lines sink = new OutputSinks.Lines(Objects.requireNonNull(charset, "charset"),
                Objects.requireNonNull(consumer, "consumer"), Objects.requireNonNull(executor, "executor"));
        claim(sink);
        return sink.done;
    }

    /**
     * Calls {@code consumer} with each line, as {@link #lines(Charset, Consumer, Executor)} does,
     * and collects the bytes too: for {@code run} with line consumers.
     */
    CompletableFuture<byte[]> bytesAndLines(Charset charset, Consumer<? super String> consumer, Executor executor) {
        OutputSinks.CollectedLines sink = new OutputSinks.CollectedLines(charset, consumer, executor);
        claim(sink);
        return sink.done.thenApply(ignored -> sink.bytes());
    }

    /**
     * Reads the output and drops it, so that the child never blocks on it.
     *
     * @return a future completed once the output has ended
     * @throws IllegalStateException if this output was claimed already
     */
    public CompletableFuture<Void> discard() {
        OutputSinks.Discard sink = new OutputSinks.Discard();
        claim(sink);
        return sink.done.thenApplyAsync(ignored -> null);
    }

    private void claim(OutputPump.Sink sink) {
        if (!claimed.compareAndSet(false, true)) {
            throw new IllegalStateException(name + " is already being read through ProcessOutput");
        }
        try {
            source.attach(sink);
        } catch (RuntimeException e) {
            claimed.set(false);   // the output stays with its InputStream; nothing was claimed
            throw e;
        }
    }

    @Override
    public String toString() {
        return "ProcessOutput[" + name + (claimed.get() ? ", claimed]" : "]");
    }
}
