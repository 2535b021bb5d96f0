package dev.forkwise.spawn;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;

/** Where one of a child's standard descriptors (0, 1 or 2) comes from. */
public sealed interface ChildStdio {

    /**
     * A new pipe: the child gets one end, the parent keeps the other.
     *
     * @param nonBlockingParentEnd whether the parent's end is put in non-blocking mode, for the
     *                             parent's own streams; not for an end handed on to another child
     *                             (a pipeline), which must see a blocking descriptor
     */
    record Pipe(boolean nonBlockingParentEnd) implements ChildStdio {
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
    ChildStdio PIPE = new Pipe(true);

    /** A pipe whose parent end is handed on to the next child of a pipeline. */
    ChildStdio PIPE_TO_NEXT_CHILD = new Pipe(false);

    /** The shared {@link Inherit} value. */
    ChildStdio INHERIT = new Inherit();

    /** {@return the source {@code redirect} describes} */
    static ChildStdio of(Redirect redirect) {
        return switch (redirect.type()) {
            case PIPE -> PIPE;
            case INHERIT -> INHERIT;
            case READ -> new ReadFile(redirect.file());
            case WRITE -> new WriteFile(redirect.file(), false);
            case APPEND -> new WriteFile(redirect.file(), true);
        };
    }
}
