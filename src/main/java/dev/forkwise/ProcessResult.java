package dev.forkwise;

import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a process left behind: its command, exit value and everything it wrote. Returned by
 * {@link Spawner#run(ProcessBuilder)}. Immutable; the byte arrays are this result's own and are not
 * copied, so do not change them.
 *
 * {@snippet :
 * List<String> branches = Spawner.run(new ProcessBuilder("git", "branch", "--format=%(refname:short)"))
 *         .join()
 *         .requireExitValue()                         // or ProcessFailedException, with git's complaint
 *         .stdoutLines(StandardCharsets.UTF_8);
 * }
 */
public final class ProcessResult {

    /** How much of the end of an output a failure message quotes, at most. */
    private static final int TAIL_LINES = 10;
    private static final int TAIL_CHARS = 2000;

    private final List<String> command;
    private final long pid;
    private final int exitValue;
    private final boolean timedOut;
    private final byte[] stdout;
    private final byte[] stderr;

    ProcessResult(List<String> command, long pid, int exitValue, boolean timedOut, byte[] stdout, byte[] stderr) {
        this.command = List.copyOf(command);
        this.pid = pid;
        this.exitValue = exitValue;
        this.timedOut = timedOut;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** {@return the command the child ran, program first, as the builder said it} The list is unmodifiable. */
    public List<String> command() {
        return command;
    }

    /** {@return the process id the child had} */
    public long pid() {
        return pid;
    }

    /** {@return the exit value, as {@link Process#exitValue()} reports it} */
    public int exitValue() {
        return exitValue;
    }

    /** {@return whether the child's deadline passed and forkwise terminated it} See {@link ChildProcess#timedOut()}. */
    public boolean timedOut() {
        return timedOut;
    }

    /**
     * {@return this result, if the child exited with one of the {@code accepted} values, or with 0
     * if none is given, and was not terminated at its deadline} Meant to be chained:
     * {@code run(pb).join().requireExitValue().stdout(UTF_8)}, or
     * {@code run(pb).thenApply(ProcessResult::requireExitValue)}.
     *
     * @param accepted the exit values that mean success; none means 0 alone
     * @throws ProcessFailedException if the exit value is not accepted or the deadline passed, with
     *                                a message that names the command, the exit value and the end
     *                                of standard error (of standard output, if standard error is
     *                                empty, as it is when merged into it)
     */
    public ProcessResult requireExitValue(int... accepted) {
        boolean ok = accepted.length == 0 ? exitValue == 0 : Arrays.stream(accepted).anyMatch(value -> value == exitValue);
        if (ok && !timedOut) {
            return this;
        }
        String expected = accepted.length == 0 ? "0"
                : Arrays.stream(accepted).mapToObj(Integer::toString).collect(Collectors.joining(" or "));
        throw new ProcessFailedException(failure("exited with " + exitValue + (timedOut
                ? " after its deadline passed" : ", expected " + expected)), this);
    }

    /**
     * {@return a message about this result's child}: its command and pid, {@code what} happened,
     * and the tail of standard error (or, if that is empty, of standard output)
     */
    String failure(String what) {
        byte[] quoted = stderr.length > 0 ? stderr : stdout;
        String text = new String(quoted, SpawnOptions.NativeEncoding.CHARSET).stripTrailing();
        List<String> lines = text.lines().toList();
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        if (tail.length() > TAIL_CHARS) {
            tail = "..." + tail.substring(tail.length() - TAIL_CHARS);
        }
        String which = stderr.length > 0 ? "standard error" : "standard output";
        return "Process " + pid + " " + quote(command) + " " + what
                + (tail.isEmpty() ? "; it wrote nothing" : "; " + which + " ends with:\n" + tail);
    }

    private static String quote(List<String> command) {
        return command.stream().map(word -> word.isEmpty() || word.chars().anyMatch(c -> " \t\n'\"\\$`;&|<>()*?".indexOf(c) >= 0)
                ? "'" + word.replace("'", "'\\''") + "'" : word).collect(Collectors.joining(" ", "[", "]"));
    }

    /** {@return everything the child wrote to its standard output} Empty if it was redirected. */
    public byte[] stdout() {
        return stdout;
    }

    /**
     * {@return the standard output decoded with {@code charset}} Malformed input is replaced.
     *
     * @param charset the output's encoding
     */
    public String stdout(Charset charset) {
        return new String(stdout, charset);
    }

    /**
     * {@return the lines of standard output, decoded with {@code charset}} Lines are split as
     * {@link java.io.BufferedReader#readLine()} splits them, at {@code \n}, {@code \r} or
     * {@code \r\n}, and do not include the terminator; a last line without one is included. The
     * list is unmodifiable.
     *
     * @param charset the output's encoding; malformed input is replaced
     */
    public List<String> stdoutLines(Charset charset) {
        return stdout(charset).lines().toList();
    }

    /** {@return everything the child wrote to its standard error} Empty if it was redirected or merged. */
    public byte[] stderr() {
        return stderr;
    }

    /**
     * {@return the standard error decoded with {@code charset}} Malformed input is replaced.
     *
     * @param charset the output's encoding
     */
    public String stderr(Charset charset) {
        return new String(stderr, charset);
    }

    /**
     * {@return the lines of standard error, decoded with {@code charset}}, split as
     * {@link #stdoutLines(Charset)} splits. The list is unmodifiable.
     *
     * @param charset the output's encoding; malformed input is replaced
     */
    public List<String> stderrLines(Charset charset) {
        return stderr(charset).lines().toList();
    }

    @Override
    public String toString() {
        return "ProcessResult[pid=" + pid + ", exitValue=" + exitValue + (timedOut ? ", timed out" : "")
                + ", stdout=" + stdout.length + " bytes, stderr=" + stderr.length + " bytes]";
    }
}
