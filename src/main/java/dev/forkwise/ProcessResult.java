package dev.forkwise;

import java.nio.charset.Charset;

/**
 * What a process left behind: its exit value and everything it wrote. Returned by
 * {@link Spawner#run(ProcessBuilder)}. Immutable; the byte arrays are this result's own and are not
 * copied, so do not change them.
 */
public final class ProcessResult {

    private final long pid;
    private final int exitValue;
    private final boolean timedOut;
    private final byte[] stdout;
    private final byte[] stderr;

    ProcessResult(long pid, int exitValue, boolean timedOut, byte[] stdout, byte[] stderr) {
        this.pid = pid;
        this.exitValue = exitValue;
        this.timedOut = timedOut;
        this.stdout = stdout;
        this.stderr = stderr;
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

    @Override
    public String toString() {
        return "ProcessResult[pid=" + pid + ", exitValue=" + exitValue + (timedOut ? ", timed out" : "")
                + ", stdout=" + stdout.length + " bytes, stderr=" + stderr.length + " bytes]";
    }
}
