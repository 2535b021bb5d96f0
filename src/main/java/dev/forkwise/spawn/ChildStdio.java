package dev.forkwise.spawn;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;

/** Where one of a child's standard descriptors (0, 1 or 2) comes from. */
public sealed interface ChildStdio {

    /** A new pipe: the child gets one end, the parent keeps the other. */
    record Pipe() implements ChildStdio {
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

    /** The shared {@link Pipe} value. */
    ChildStdio PIPE = new Pipe();

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
