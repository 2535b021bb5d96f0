package dev.forkwise.spawn;

import java.io.File;

/** Where one of a child's standard descriptors (0, 1 or 2) comes from. */
public sealed interface ChildStdio {

    /**
     * A new pipe: the child gets one end, the parent keeps the other.
     *
     * @param toNextChild whether the parent's end goes on to the next child of a pipeline, which
     *                    must see a blocking descriptor; otherwise the parent reads or writes it
     *                    itself, and it is put in non-blocking mode
     */
    record Pipe(boolean toNextChild) implements ChildStdio {
    }

    /** The parent's own descriptor with the same number. */
    record Inherit() implements ChildStdio {
    }

    /** A file the parent opens for reading, as {@code FileInputStream} would. */
    record ReadFile(File file) implements ChildStdio {
    }

    /** A file the parent opens for writing, as {@code FileOutputStream} would. */
    record WriteFile(File file, boolean append) implements ChildStdio {
    }

    /** A descriptor the caller owns and keeps, such as one end of a pipe between two children. */
    record Use(Descriptor descriptor) implements ChildStdio {
    }

    /** A pipe whose parent end the parent reads or writes itself, without blocking. */
    ChildStdio PIPE = new Pipe(false);

    /** A pipe whose parent end is handed on to the next child of a pipeline. */
    ChildStdio PIPE_TO_NEXT_CHILD = new Pipe(true);

    /** The shared {@link Inherit} value. */
    ChildStdio INHERIT = new Inherit();

    /** {@return whether this is a pipe whose parent end goes on to the next child of a pipeline} */
    default boolean toNextChild() {
        return this instanceof Pipe pipe && pipe.toNextChild();
    }
}
