package dev.forkwise;

import dev.forkwise.process.Child;
import dev.forkwise.process.Launcher;
import dev.forkwise.spawn.ProcessGroupMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;

/**
 * Starts operating-system processes like {@link ProcessBuilder#start()}, without its
 * {@code ETXTBSY} race and faster.
 *
 * <p>Replace {@code builder.start()} with {@code Spawner.start(builder)}: the builder's command,
 * environment, working directory, redirects and {@code redirectErrorStream} are honoured, the
 * {@link Process} returned behaves like the one {@code ProcessBuilder} returns, and failures throw
 * the same exceptions with the same messages. As with {@code ProcessBuilder}, a
 * {@code redirectError} file is opened, created or truncated even when {@code redirectErrorStream}
 * sends the error output to standard output instead, and a start fails if it cannot be opened.
 *
 * {@snippet :
 * Process p = Spawner.start(new ProcessBuilder("ls", "-l").directory(dir));
 * String listing = new String(p.getInputStream().readAllBytes());
 * int status = p.waitFor();
 * }
 *
 * <h2>Why</h2>
 * A multithreaded program that writes an executable and then runs it can fail with
 * {@code IOException: ... error: 26 (Text file busy)}, because a child that another thread started
 * at the same moment still holds a copy of the write descriptor (JDK-8068370). forkwise starts
 * children with glibc {@code posix_spawn}, whose child closes every inherited descriptor before it
 * executes, and retries a busy executable only after every start in flight at that moment has
 * returned; see {@link #mechanism()}.
 *
 * <p>This class is thread-safe: any number of threads, platform or virtual, may start processes
 * concurrently, and they do not wait for each other.
 *
 * @implNote On Linux with glibc 2.34 or later and native access enabled for this module
 * ({@code --enable-native-access=dev.forkwise}, or {@code =ALL-UNNAMED} on the class path),
 * children are created with {@code posix_spawn} called through {@code java.lang.foreign}.
 * Anywhere else, or when the system property {@code dev.forkwise.forceFallback} is {@code true},
 * {@code start} calls {@code builder.start()} and {@link #mechanism()} says why.
 */
public final class Spawner {

    /** Null until decided: {@link #mechanism()} keeps only a permanent answer. */
    private static volatile Mechanism mechanism;

    private Spawner() {
    }

    /**
     * Starts a new process with the attributes of {@code builder}, as {@link ProcessBuilder#start()}
     * does. Later changes to the builder do not affect the returned process.
     *
     * @param builder the command, environment, directory and redirects to start with
     * @return a new {@link Process} for the started child
     * @throws NullPointerException      if {@code builder} or an element of its command is
     *                                   {@code null}
     * @throws IndexOutOfBoundsException if the command is an empty list
     * @throws IOException               if the process cannot be started: the program is missing or
     *                                   not executable, the working directory does not exist, an
     *                                   argument contains a NUL character, a redirect file cannot be
     *                                   opened, or descriptors are exhausted. The message and cause
     *                                   are those {@code ProcessBuilder} gives, for example
     *                                   {@code Cannot run program "nope" (in directory "/tmp"): Exec failed,
     *                                   error: 2 (No such file or directory)}.
     */
    public static Process start(ProcessBuilder builder) throws IOException {
        Objects.requireNonNull(builder, "builder");
        return Launcher.start(builder, ProcessGroupMode.INHERIT).process();
    }

    /**
     * Starts a new process with the attributes of {@code builder}, as {@link #start(ProcessBuilder)}
     * does, and with {@code options}: in a process group or session of its own, with a deadline,
     * with its standard input fed, with its output lines handed to consumers, or destroyed when
     * the JVM exits.
     *
     * @param builder the command, environment, directory and redirects to start with
     * @param options where the child runs, how long it may run, what it reads, where its lines go
     * @return a new {@link ChildProcess} for the started child
     * @throws NullPointerException          if an argument or an element of the command is {@code null}
     * @throws IndexOutOfBoundsException     if the command is an empty list
     * @throws IllegalArgumentException      if the options give input and the builder redirects it
     * @throws UnsupportedOperationException if {@code options} asks for a process group or session
     *                                       where forkwise delegates to {@code ProcessBuilder}, which
     *                                       cannot create one
     * @throws IOException                   if the process cannot be started, as
     *                                       {@link #start(ProcessBuilder)} throws it
     */
    public static ChildProcess start(ProcessBuilder builder, SpawnOptions options) throws IOException {
        ChildProcess child = launch(builder, options);
        options.lines().ifPresent(lines -> {
            Executor executor = options.callbackExecutor().orElse(ProcessOutput.CALLBACKS);
            child.stdout().lines(lines.charset(), lines.stdout(), executor);
            child.stderr().lines(lines.charset(), lines.stderr(), executor);
        });
        return child;
    }

    private static ChildProcess launch(ProcessBuilder builder, SpawnOptions options) throws IOException {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(options, "options");
        requirePipedInput(builder, options);
        ProcessGroupMode group = switch (options.processGroup()) {
            case INHERIT -> ProcessGroupMode.INHERIT;
            case NEW_GROUP -> ProcessGroupMode.NEW_GROUP;
            case NEW_SESSION -> ProcessGroupMode.NEW_SESSION;
        };
        return ChildProcess.of(Launcher.start(builder, group), options);
    }

    private static void requirePipedInput(ProcessBuilder builder, SpawnOptions options) {
        if (options.input().isPresent() && builder.redirectInput() != Redirect.PIPE) {
            throw new IllegalArgumentException("options give standard input, but the builder redirects it: "
                    + builder.redirectInput());
        }
    }

    /**
     * Starts {@code builder}'s process, collects everything it writes to its standard output and
     * error, and completes when it has exited: the one-line way to run a command.
     *
     * {@snippet :
     * ProcessResult status = Spawner.run(new ProcessBuilder("git", "status", "--short")).join();
     * if (status.exitValue() == 0) {
     *     System.out.print(status.stdout(StandardCharsets.UTF_8));
     * }
     * }
     *
     * <p>The child's standard input, if it is a pipe, is closed at once (the child reads end of
     * file); both outputs are read without a thread of their own (see {@link ProcessOutput}), so
     * a child that fills one while the other is read can never deadlock. The future completes on
     * the common pool.
     *
     * @param builder the command, environment, directory and redirects to start with
     * @return a future completed with the exit value and both outputs once the child has exited
     *         and its outputs have ended
     * @throws IOException if the process cannot be started, as {@link #start(ProcessBuilder)}
     *                     throws it
     */
    public static CompletableFuture<ProcessResult> run(ProcessBuilder builder) throws IOException {
        return run(builder, SpawnOptions.defaults());
    }

    /**
     * Starts {@code builder}'s process with {@code options} and collects it, as
     * {@link #run(ProcessBuilder)} does, with what the options add:
     *
     * {@snippet :
     * ProcessResult sorted = Spawner.run(new ProcessBuilder("sort"), SpawnOptions.defaults()
     *                 .withInput("pear\napple\n", StandardCharsets.UTF_8)
     *                 .withTimeout(Duration.ofSeconds(10)).failOnTimeout()
     *                 .withOutputLogger(System.getLogger("sort"), Level.DEBUG, Level.WARNING))
     *         .join()
     *         .requireExitValue();
     * List<String> fruit = sorted.stdoutLines(StandardCharsets.UTF_8);   // [apple, pear]
     * }
     *
     * <p>The child's standard input is fed from the options' input, if they give one, and closed
     * at once otherwise. With a deadline, the result says whether it passed, or the future fails
     * with a {@link TimeoutException} if the options {@linkplain SpawnOptions#failOnTimeout() say
     * so}. With line consumers, every line has been handed over before the future completes.
     *
     * @param builder the command, environment, directory and redirects to start with
     * @param options where the child runs, how long it may run, what it reads, where its lines go
     * @return a future completed with the exit value and both outputs once the child has exited
     *         and its outputs have ended; completed exceptionally with a {@link TimeoutException} as
     *         above, with the {@code IOException} of an input that could not be read, or with
     *         the exception a line consumer threw
     * @throws IllegalArgumentException      if the options give input and the builder redirects it
     * @throws UnsupportedOperationException as {@link #start(ProcessBuilder, SpawnOptions)} throws it
     * @throws IOException                   if the process cannot be started
     */
    public static CompletableFuture<ProcessResult> run(ProcessBuilder builder, SpawnOptions options) throws IOException {
        List<String> command = List.copyOf(builder.command());
        ChildProcess child = launch(builder, options);
        if (options.input().isEmpty()) {
            child.getOutputStream().close();
        }
        CompletableFuture<byte[]> stdout;
        CompletableFuture<byte[]> stderr;
        if (options.lines().isPresent()) {
            SpawnOptions.Lines lines = options.lines().get();
            Executor executor = options.callbackExecutor().orElse(ProcessOutput.CALLBACKS);
            stdout = child.stdout().bytesAndLines(lines.charset(), lines.stdout(), executor);
            stderr = child.stderr().bytesAndLines(lines.charset(), lines.stderr(), executor);
        } else {
            stdout = child.stdout().bytes();
            stderr = child.stderr().bytes();
        }
        return child.onExit()
                .thenCompose(exited -> stdout.thenCombine(stderr, (out, err) ->
                        new ProcessResult(command, child.pid(), child.exitValue(), child.timedOut(), out, err)))
                .thenCombine(child.inputFed(), (result, fed) -> result)
                .thenCompose(result -> result.timedOut() && options.failsOnTimeout()
                        ? CompletableFuture.failedFuture(new TimeoutException(result.failure("did not exit within "
                                + options.timeout().orElseThrow() + " and was terminated (exit value "
                                + result.exitValue() + ")")))
                        : CompletableFuture.completedFuture(result));
    }

    /**
     * Starts a process for each builder, each one's standard output piped to the next one's
     * standard input, as {@link ProcessBuilder#startPipeline(List)} does: the first builder's
     * input and the last one's output are as they say, every other redirect must be
     * {@link Redirect#PIPE}; the streams between two processes are null streams. If any start
     * fails, the processes already started are destroyed forcibly and waited for.
     *
     * @param builders the stages, in order
     * @return the started processes, in the same order
     * @throws IllegalArgumentException  if a builder other than the first redirects its input, or
     *                                   one other than the last its output, with
     *                                   {@code ProcessBuilder}'s message
     * @throws NullPointerException      if a builder, or an element of a command, is {@code null}
     * @throws IndexOutOfBoundsException if a command is an empty list
     * @throws IOException               if a process cannot be started, as {@link #start(ProcessBuilder)}
     *                                   throws it
     */
    public static List<Process> startPipeline(List<ProcessBuilder> builders) throws IOException {
        return Launcher.startPipeline(builders);
    }

    /**
     * Starts a pipeline, as {@link #startPipeline(List)} does, with {@code options}: each stage
     * gets the deadline and is destroyed at JVM exit if they say so; the first stage reads the
     * input they give; the last stage's output lines go to the consumers they give. The stages
     * are {@link ChildProcess}es, so the last one's output can be read asynchronously:
     *
     * {@snippet :
     * List<ChildProcess> stages = Spawner.startPipeline(List.of(
     *         new ProcessBuilder("sort"), new ProcessBuilder("uniq", "-c")),
     *         SpawnOptions.defaults().withInput("b\na\nb\n", StandardCharsets.UTF_8)
     *                 .withTimeout(Duration.ofMinutes(1)));
     * String counts = stages.getLast().stdout().text(StandardCharsets.UTF_8).join();
     * }
     *
     * @param builders the stages, in order
     * @param options  what every stage starts with, as above
     * @return the started processes, in the same order
     * @throws IllegalArgumentException      as {@link #startPipeline(List)} throws it, or if
     *                                       {@code options} give input and the first builder
     *                                       redirects its input
     * @throws UnsupportedOperationException if {@code options} ask for a process group or session:
     *                                       the stages of a pipeline share their parent's
     * @throws IOException                   if a process cannot be started; those already started
     *                                       are destroyed forcibly and waited for
     */
    public static List<ChildProcess> startPipeline(List<ProcessBuilder> builders, SpawnOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        if (options.processGroup() != SpawnOptions.ProcessGroup.INHERIT) {
            throw new UnsupportedOperationException("the stages of a pipeline run in their parent's process group: "
                    + options.processGroup());
        }
        if (!builders.isEmpty()) {
            requirePipedInput(builders.getFirst(), options);
        }
        List<Process> processes = Launcher.startPipeline(builders);
        List<ChildProcess> stages = new ArrayList<>(processes.size());
        SpawnOptions withoutInput = options.withoutInput();
        for (int index = 0; index < processes.size(); index++) {
            stages.add(ChildProcess.of(Child.of(processes.get(index)), index == 0 ? options : withoutInput));
        }
        if (stages.isEmpty()) {
            return List.of();
        }
        ChildProcess last = stages.getLast();
        options.lines().ifPresent(lines -> {
            Executor executor = options.callbackExecutor().orElse(ProcessOutput.CALLBACKS);
            last.stdout().lines(lines.charset(), lines.stdout(), executor);
            last.stderr().lines(lines.charset(), lines.stderr(), executor);
        });
        return List.copyOf(stages);
    }

    /**
     * {@return how this JVM starts processes}: {@code posix_spawn} or, where that is not
     * available, {@code ProcessBuilder} with the reason. Decided once, from permanent answers only:
     * a resource that runs short for a moment never makes forkwise fall back for good.
     *
     * @throws UncheckedIOException if it cannot be decided now (no descriptor left to look up the
     *                              C library or probe the kernel); a later call decides
     */
    public static Mechanism mechanism() {
        Mechanism known = mechanism;
        if (known == null) {
            synchronized (Spawner.class) {
                known = mechanism;
                if (known == null) {
                    try {
                        known = chooseMechanism();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    mechanism = known;
                }
            }
        }
        return known;
    }

    private static Mechanism chooseMechanism() throws IOException {
        Optional<String> unavailable = Launcher.fallbackReason();
        if (unavailable.isPresent()) {
            String reason = unavailable.get();
            System.getLogger("dev.forkwise").log(
                    reason.startsWith("forced") ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    "forkwise starts processes with ProcessBuilder.start(): " + reason);
            return new Mechanism(Mechanism.Launch.PROCESS_BUILDER, "ProcessBuilder.start()",
                    "ProcessBuilder's reaper threads", reason);
        }
        return new Mechanism(Mechanism.Launch.POSIX_SPAWN, Launcher.launchDescription(), Launcher.exitWatching(), null);
    }
}
