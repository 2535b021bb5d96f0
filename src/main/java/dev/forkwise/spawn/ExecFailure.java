package dev.forkwise.spawn;

import dev.forkwise.bindings.forkwise_h;

import java.io.IOException;

/**
 * The low-level messages of a failed start, worded as the running JDK's {@code ProcessBuilder}
 * words them; the public layer prefixes {@code Cannot run program "x" (in directory "d"): }.
 *
 * <table class="striped">
 * <caption>wording by JDK</caption>
 * <tr><th>JDK</th><th>message</th></tr>
 * <tr><td>25 and later (JDK-8352533)</td><td>{@code Exec failed, error: 2 (No such file or directory) }</td></tr>
 * <tr><td>22 to 24</td><td>{@code error=2, No such file or directory}</td></tr>
 * </table>
 *
 * The JDK 25 form ends with a space: its last field is an internal detail, empty for exec failures.
 * forkwise puts its own detail there (see {@link #busy}).
 */
public final class ExecFailure {

    private static final boolean DETAILED_FORMAT = Runtime.version().feature() >= 25;

    private ExecFailure() {
    }

    /**
     * {@return the exception for an exec that failed with {@code errno}}; {@code EAGAIN} means
     * that no child could be created ({@code RLIMIT_NPROC}), which the JDK words as its own
     * {@code posix_spawn} failing
     */
    static IOException exec(int errno) {
        return new IOException(message(errno == forkwise_h.EAGAIN() ? "posix_spawn failed" : "Exec failed", errno, ""));
    }

    /**
     * {@return the exception for a system call that failed with {@code errno} while preparing a
     * start}, or while creating what watches its child
     *
     * @param what  what failed, in words (the JDK 25 wording shows it)
     * @param errno the error number
     */
    public static IOException setup(String what, int errno) {
        return new IOException(message(what, errno, ""));
    }

    /**
     * {@return the exception for an executable that stayed busy}: a writer outside this library
     * kept {@code path} open for writing through every retry.
     */
    static IOException busy(String path, int attempts, long millis) {
        return new IOException(message("Exec failed", forkwise_h.ETXTBSY(),
                path + " is open for writing outside forkwise (another process, or ProcessBuilder"
                        + " or native code in this JVM); still busy after " + attempts
                        + " attempts over " + millis + " ms"));
    }

    static String message(String what, int errno, String detail) {
        if (DETAILED_FORMAT) {
            return what + ", error: " + errno + " (" + forkwise_h.strerror(errno).getString(0) + ") " + detail;
        }
        String text = errno == forkwise_h.EINVAL() ? what : forkwise_h.strerror(errno).getString(0);
        return "error=" + errno + ", " + text + (detail.isEmpty() ? "" : ": " + detail);
    }
}
