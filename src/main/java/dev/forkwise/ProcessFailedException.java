package dev.forkwise;

import java.io.Serial;

/**
 * Thrown by {@link ProcessResult#requireExitValue(int...)} when a child did not end as it should
 * have: with an exit value that was not accepted, or at its deadline. The message names the
 * command, the exit value and the end of what the child wrote to standard error, for example
 * {@snippet lang=text :
 * Process 4711 [git rev-parse v9] exited with 128, expected 0; standard error ends with:
 * fatal: ambiguous argument 'v9': unknown revision or path not in the working tree.
 * }
 *
 * <p>It is unchecked because it is meant to be thrown inside a chain of {@code CompletableFuture}
 * stages ({@code run(pb).thenApply(ProcessResult::requireExitValue)}), where a checked exception
 * cannot be, and because a command that fails is, to most callers, a bug or a broken environment
 * rather than a condition to recover from. Where it must be handled, {@link #result()} has
 * everything the child left behind.
 */
public class ProcessFailedException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Not serialized: a deserialized exception keeps its message only. */
    private final transient ProcessResult result;

    /**
     * Creates an exception about {@code result} with {@code message}.
     *
     * @param message what went wrong, for {@link #getMessage()}
     * @param result  what the child left behind
     */
    public ProcessFailedException(String message, ProcessResult result) {
        super(message);
        this.result = result;
    }

    /** {@return what the child left behind}: exit value and both outputs; {@code null} after deserialization */
    public ProcessResult result() {
        return result;
    }
}
