package dev.forkwise;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What to start a process with beyond what a {@link ProcessBuilder} can say: a process group or
 * session of its own, a deadline, what to feed its standard input, where its output lines go, and
 * whether it outlives the JVM. Passed with the builder:
 *
 * {@snippet :
 * ProcessBuilder pb = new ProcessBuilder("sh", "-c", "make -j2 && make test");
 * ChildProcess build = Spawner.start(pb, SpawnOptions.defaults()
 *         .inNewProcessGroup()                                   // make and everything it starts
 *         .withTimeout(Duration.ofMinutes(10), Duration.ofSeconds(5)));
 * int status = build.waitFor();
 * if (build.timedOut()) { ... }                                  // SIGTERM, then SIGKILL 5 s later
 * }
 *
 * <p>Instances are immutable; every method returns a new one. Options that hold a consumer, an
 * executor or an {@code InputStream} hold the caller's object, not a copy.
 *
 * <h2>Callbacks and thread-local state</h2>
 * Line consumers given here run one call at a time per output, each call after the previous one
 * has returned, but not on the thread that started the process and not necessarily all on one
 * thread: by default each call may run on a different virtual thread. A {@code ThreadLocal} (a
 * logging framework's mapped diagnostic context, for one) set by the caller is therefore not seen
 * by the consumer. Capture what the consumer needs in the lambda, or give an executor with
 * {@link #withCallbackExecutor(Executor)} that runs the calls where that state is set.
 */
public final class SpawnOptions {

    /** The grace period between SIGTERM and SIGKILL when a deadline passes, unless given. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(5);

    /** Where the child runs relative to its parent's process group. */
    public enum ProcessGroup {
        /** In its parent's process group, as a {@code ProcessBuilder} child. */
        INHERIT,
        /** As the leader of a new process group, whose id is the child's pid. */
        NEW_GROUP,
        /** As the leader of a new session (and process group), without a controlling terminal. */
        NEW_SESSION
    }

    /** Where a child's standard input comes from: opened once per child, by the thread that feeds it. */
    interface Input {
        InputStream open() throws IOException;
    }

    /** Where a child's output lines go, and in which encoding they are decoded. */
    record Lines(Charset charset, Consumer<? super String> stdout, Consumer<? super String> stderr) {
    }

    private static final SpawnOptions DEFAULTS =
            new SpawnOptions(ProcessGroup.INHERIT, null, DEFAULT_GRACE_PERIOD, false, null, null, null, false);

    private final ProcessGroup processGroup;
    private final Duration timeout;
    private final Duration gracePeriod;
    private final boolean failOnTimeout;
    private final Input input;
    private final Lines lines;
    private final Executor callbackExecutor;
    private final boolean destroyOnExit;

    private SpawnOptions(ProcessGroup processGroup, Duration timeout, Duration gracePeriod, boolean failOnTimeout,
                         Input input, Lines lines, Executor callbackExecutor, boolean destroyOnExit) {
        this.processGroup = processGroup;
        this.timeout = timeout;
        this.gracePeriod = gracePeriod;
        this.failOnTimeout = failOnTimeout;
        this.input = input;
        this.lines = lines;
        this.callbackExecutor = callbackExecutor;
        this.destroyOnExit = destroyOnExit;
    }

    /**
     * {@return the options of a plain {@code ProcessBuilder} start}: parent's group, no deadline, no
     * input fed, outputs left to the caller, not destroyed when the JVM exits
     */
    public static SpawnOptions defaults() {
        return DEFAULTS;
    }

    /**
     * {@return these options, with the child as the leader of a new process group} The group can
     * then be signalled as a whole with {@link ChildProcess#destroyProcessGroup()}, and a deadline
     * terminates the whole group.
     */
    public SpawnOptions inNewProcessGroup() {
        return new SpawnOptions(ProcessGroup.NEW_GROUP, timeout, gracePeriod, failOnTimeout, input, lines,
                callbackExecutor, destroyOnExit);
    }

    /**
     * {@return these options, with the child as the leader of a new session}: a new process group
     * too, detached from the controlling terminal, so a terminal's hangup or interrupt does not
     * reach it.
     */
    public SpawnOptions inNewSession() {
        return new SpawnOptions(ProcessGroup.NEW_SESSION, timeout, gracePeriod, failOnTimeout, input, lines,
                callbackExecutor, destroyOnExit);
    }

    /**
     * {@return these options, with a deadline}: {@code timeout} after the start, a child that is
     * still running is sent SIGTERM, and so is the rest of its tree, and SIGKILL
     * {@link #DEFAULT_GRACE_PERIOD} later if they are still there.
     *
     * <p>The tree is the child's process group if it leads one ({@link #inNewProcessGroup()}): that
     * is exact, and the safe choice for a child that starts others. Otherwise it is the child and
     * the descendants {@link ProcessHandle#descendants()} lists at the deadline, which is
     * best-effort: a process the tree starts in the instant between that listing and the signal,
     * or one that had already left it (a daemon, reparented to {@code init}), is not reached. Each
     * descendant's start time is checked before it is signalled, so a process that took the pid of
     * one that ended is not.
     *
     * <p>With {@link Spawner#run(ProcessBuilder, SpawnOptions) run}, the result then says
     * {@link ProcessResult#timedOut() timedOut()}, or, with {@link #failOnTimeout()}, the future
     * fails with a {@link java.util.concurrent.TimeoutException}.
     *
     * @param timeout how long the child may run
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public SpawnOptions withTimeout(Duration timeout) {
        return withTimeout(timeout, gracePeriod);
    }

    /**
     * {@return these options, with a deadline and the grace period between SIGTERM and SIGKILL} The
     * deadline reaches the child's tree as {@link #withTimeout(Duration)} says.
     *
     * @param timeout     how long the child may run
     * @param gracePeriod how long it has to end after SIGTERM before SIGKILL
     * @throws IllegalArgumentException if either duration is negative
     */
    public SpawnOptions withTimeout(Duration timeout, Duration gracePeriod) {
        if (timeout.isNegative() || gracePeriod.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + timeout + ", " + gracePeriod);
        }
        return new SpawnOptions(processGroup, timeout, gracePeriod, failOnTimeout, input, lines,
                callbackExecutor, destroyOnExit);
    }

    /**
     * {@return these options, with a deadline that is a failure} The future
     * {@link Spawner#run(ProcessBuilder, SpawnOptions) run} returns completes exceptionally with a
     * {@link java.util.concurrent.TimeoutException}, whose message names the command, the timeout
     * and the end of the child's standard error, instead of with a result that says
     * {@link ProcessResult#timedOut() timedOut()}. It does so, as the result would, once the
     * terminated child has exited and its outputs have ended. A deadline must still be given with
     * {@link #withTimeout(Duration)}; {@link Spawner#start(ProcessBuilder, SpawnOptions) start}
     * is not affected.
     */
    public SpawnOptions failOnTimeout() {
        return new SpawnOptions(processGroup, timeout, gracePeriod, true, input, lines, callbackExecutor, destroyOnExit);
    }

    /**
     * {@return these options, with {@code bytes} as the child's standard input} The bytes are
     * copied; they are written to the child on a virtual thread, and the child's standard input is
     * closed after the last one, so it reads end of file. A child that exits or closes its input
     * before reading everything is not an error: the rest is dropped. The builder's standard input
     * must be {@link ProcessBuilder.Redirect#PIPE}, and the child's {@link Process#getOutputStream()}
     * is not for the caller to write to.
     *
     * @param bytes what the child reads
     */
    public SpawnOptions withInput(byte[] bytes) {
        byte[] copy = bytes.clone();
        return withInput(() -> new ByteArrayInputStream(copy));
    }

    /**
     * {@return these options, with {@code text}, encoded in {@code charset}, as the child's
     * standard input} It is fed as {@link #withInput(byte[])} feeds bytes.
     *
     * @param text    what the child reads
     * @param charset the encoding the child expects; unmappable characters are replaced
     */
    public SpawnOptions withInput(String text, Charset charset) {
        return withInput(text.getBytes(charset));
    }

    /**
     * {@return these options, with the content of {@code file} as the child's standard input} The
     * file is opened when each child starts and read on a virtual thread, and fed as
     * {@link #withInput(byte[])} feeds bytes. If it cannot be opened or read, the child's input is
     * closed there, and the future {@code run} returns fails with that {@code IOException}.
     * ({@link ProcessBuilder#redirectInput(java.io.File)} connects the child to the file directly,
     * without a thread, where a pipe is not needed.)
     *
     * @param file what the child reads
     */
    public SpawnOptions withInput(Path file) {
        Objects.requireNonNull(file, "file");
        return withInput(() -> Files.newInputStream(file));
    }

    /**
     * {@return these options, with what {@code stream} holds as the child's standard input} The
     * stream is read to its end on a virtual thread, as {@link #withInput(Path)} reads a file, and
     * is not closed. It is read by the first child started with these options; a later one gets
     * what is left.
     *
     * @param stream what the child reads
     */
    public SpawnOptions withInput(InputStream stream) {
        Objects.requireNonNull(stream, "stream");
        return withInput(() -> new FilterInputStream(stream) {
            @Override
            public void close() {   // the caller's stream: theirs to close
            }
        });
    }

    /** {@return these options without input}: for the stages of a pipeline after the first */
    SpawnOptions withoutInput() {
        return withInput((Input) null);
    }

    private SpawnOptions withInput(Input input) {
        return new SpawnOptions(processGroup, timeout, gracePeriod, failOnTimeout, input, lines,
                callbackExecutor, destroyOnExit);
    }

    /**
     * {@return these options, with each line the child writes handed to a consumer as it comes}:
     * standard output's to {@code stdout}, standard error's to {@code stderr}, decoded with
     * {@code charset} and split as {@link ProcessOutput#lines(Charset, Consumer)} splits them. Each
     * output's calls run one at a time and in order, on virtual threads unless
     * {@link #withCallbackExecutor(Executor)} says otherwise (see the class description on
     * thread-local state).
     *
     * <p>With {@link Spawner#run(ProcessBuilder, SpawnOptions) run}, the output is collected into
     * the result as well, and the future completes after the last line of both outputs has been
     * handed over. With {@link Spawner#start(ProcessBuilder, SpawnOptions) start}, both outputs are
     * claimed at the start: the child's {@link ChildProcess#stdout() stdout()} and
     * {@link ChildProcess#stderr() stderr()} are then taken, and its streams refuse reads. A
     * consumer that throws ends its output's calls, and the rest of that output is read and dropped.
     *
     * @param charset the outputs' encoding; malformed input is replaced
     * @param stdout  called with each line of standard output, without its terminator
     * @param stderr  called with each line of standard error, without its terminator
     */
    public SpawnOptions withOutputLines(Charset charset, Consumer<? super String> stdout, Consumer<? super String> stderr) {
        Lines lines = new Lines(Objects.requireNonNull(charset, "charset"),
                Objects.requireNonNull(stdout, "stdout"), Objects.requireNonNull(stderr, "stderr"));
        return new SpawnOptions(processGroup, timeout, gracePeriod, failOnTimeout, input, lines,
                callbackExecutor, destroyOnExit);
    }

    /**
     * {@return these options, with each line the child writes logged on {@code logger}}: standard
     * output's at {@code stdoutLevel}, standard error's at {@code stderrLevel}, as
     * {@link #withOutputLines(Charset, Consumer, Consumer)} hands them over, decoded in the
     * platform's {@code native.encoding} as {@link Process#inputReader()} decodes. A level of
     * {@link System.Logger.Level#OFF OFF} drops that output's lines.
     *
     * {@snippet :
     * System.Logger log = System.getLogger("build");
     * Spawner.run(new ProcessBuilder("make"), SpawnOptions.defaults()
     *         .withOutputLogger(log, Level.INFO, Level.WARNING)).join();
     * }
     *
     * @param logger      where the lines go
     * @param stdoutLevel the level of standard output's lines
     * @param stderrLevel the level of standard error's lines
     */
    public SpawnOptions withOutputLogger(System.Logger logger, System.Logger.Level stdoutLevel,
                                         System.Logger.Level stderrLevel) {
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(stdoutLevel, "stdoutLevel");
        Objects.requireNonNull(stderrLevel, "stderrLevel");
        return withOutputLines(NativeEncoding.CHARSET, logging(logger, stdoutLevel), logging(logger, stderrLevel));
    }

    private static Consumer<String> logging(System.Logger logger, System.Logger.Level level) {
        return level == System.Logger.Level.OFF ? line -> { } : line -> logger.log(level, line);
    }

    /**
     * {@return these options, with the line consumers' calls run on {@code executor}} instead of
     * on virtual threads: an executor that restores the caller's thread-local state, or a
     * single-thread executor, for a consumer that needs it. The calls of one output still run one
     * at a time and in order, whatever the executor.
     *
     * @param executor where line consumers run
     */
    public SpawnOptions withCallbackExecutor(Executor executor) {
        return new SpawnOptions(processGroup, timeout, gracePeriod, failOnTimeout, input, lines,
                Objects.requireNonNull(executor, "executor"), destroyOnExit);
    }

    /**
     * {@return these options, with the child destroyed when the JVM exits} If the child is still
     * running when the JVM shuts down normally (the last non-daemon thread ends, or
     * {@link System#exit(int)}), it is sent SIGTERM from a shutdown hook, and so is the rest of
     * its tree, as a deadline would send it; the hook does not wait for it to end. A JVM that is
     * killed, or halted with {@link Runtime#halt(int)}, runs no hooks.
     *
     * <p>forkwise registers one shutdown hook for all such children, and holds each one only
     * until it exits: no thread is started per child, and a child that has exited costs nothing.
     */
    public SpawnOptions destroyOnExit() {
        return new SpawnOptions(processGroup, timeout, gracePeriod, failOnTimeout, input, lines,
                callbackExecutor, true);
    }

    /** {@return where the child runs relative to its parent's process group} */
    public ProcessGroup processGroup() {
        return processGroup;
    }

    /** {@return the time after which a running child is terminated, if any} */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** {@return the time between SIGTERM and SIGKILL once the deadline has passed} */
    public Duration gracePeriod() {
        return gracePeriod;
    }

    /** {@return whether a passed deadline fails the future {@code run} returns} See {@link #failOnTimeout()}. */
    public boolean failsOnTimeout() {
        return failOnTimeout;
    }

    /** {@return whether the child is destroyed when the JVM exits} See {@link #destroyOnExit()}. */
    public boolean destroysOnExit() {
        return destroyOnExit;
    }

    Optional<Input> input() {
        return Optional.ofNullable(input);
    }

    Optional<Lines> lines() {
        return Optional.ofNullable(lines);
    }

    Optional<Executor> callbackExecutor() {
        return Optional.ofNullable(callbackExecutor);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SpawnOptions that && processGroup == that.processGroup
                && Objects.equals(timeout, that.timeout) && gracePeriod.equals(that.gracePeriod)
                && failOnTimeout == that.failOnTimeout && input == that.input && Objects.equals(lines, that.lines)
                && callbackExecutor == that.callbackExecutor && destroyOnExit == that.destroyOnExit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(processGroup, timeout, gracePeriod, failOnTimeout, System.identityHashCode(input), lines,
                System.identityHashCode(callbackExecutor), destroyOnExit);
    }

    @Override
    public String toString() {
        return "SpawnOptions[processGroup=" + processGroup + ", timeout=" + timeout + ", gracePeriod=" + gracePeriod
                + (failOnTimeout ? ", fail on timeout" : "") + (input != null ? ", input" : "")
                + (lines != null ? ", output lines in " + lines.charset() : "")
                + (callbackExecutor != null ? ", callback executor" : "")
                + (destroyOnExit ? ", destroy on exit" : "") + "]";
    }

    /** The platform's encoding for a child's text, as {@code Process.inputReader()} uses it. */
    static final class NativeEncoding {
        static final Charset CHARSET = charset();

        private NativeEncoding() {
        }

        private static Charset charset() {
            try {
                return Charset.forName(System.getProperty("native.encoding"), Charset.defaultCharset());
            } catch (IllegalArgumentException e) {
                return Charset.defaultCharset();
            }
        }
    }
}
