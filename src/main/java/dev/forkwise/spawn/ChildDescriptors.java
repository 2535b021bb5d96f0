package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The descriptors one spawn hands its child as 0, 1 and 2, and the pipe ends the parent keeps.
 *
 * <p>The parent's end of a pipe is non-blocking, for the parent's {@code epoll}-driven streams,
 * unless it goes on to another child. Every descriptor created here is {@code O_CLOEXEC} from
 * birth (design.md §3, step 1), so a
 * concurrent spawn by another thread, or another library's {@code fork}, never inherits it across
 * {@code execve}, and it is numbered 3 or above, so the child's {@code dup2} actions cannot
 * overwrite one source with another. After the spawn the child's ends are closed in the parent;
 * if the spawn fails, everything is.
 */
final class ChildDescriptors implements AutoCloseable {

    private static final int PIPE_READ = 0;
    private static final int PIPE_WRITE = 1;

    private final int[] childSide = new int[3];
    private final Descriptor[] parentEnds = new Descriptor[3];
    private final List<Descriptor> childEnds = new ArrayList<>(3);
    private boolean handedOver;

    private ChildDescriptors() {
    }

    /**
     * Opens the files and creates the pipes {@code request} asks for, in the order
     * {@code ProcessBuilder} does: standard input, output, then error.
     *
     * @throws FileNotFoundException if a redirect file cannot be opened, worded as
     *                               {@code FileInputStream} or {@code FileOutputStream} words it
     * @throws IOException           if a pipe cannot be created (descriptors exhausted)
     */
    static ChildDescriptors open(Arena arena, SpawnRequest request) throws IOException {
        ChildDescriptors descriptors = new ChildDescriptors();
        try {
            descriptors.prepare(arena, 0, request.stdin());
            descriptors.prepare(arena, 1, request.stdout());
            if (request.redirectErrorStream()) {
                if (request.stderr() instanceof ChildStdio.WriteFile) {
                    // ProcessBuilder still opens the error file (creating or truncating it, failing
                    // the start if it cannot), though the child never gets it
                    descriptors.prepare(arena, 2, request.stderr());
                }
                descriptors.childSide[2] = 1;   // dup2(1, 2) runs after descriptor 1 is in place
            } else {
                descriptors.prepare(arena, 2, request.stderr());
            }
            return descriptors;
        } catch (IOException | RuntimeException | Error e) {
            descriptors.close();
            throw e;
        }
    }

    /** {@return the parent's descriptors the child receives as 0, 1 and 2} */
    int[] childSide() {
        return childSide;
    }

    /** Closes the child's ends in the parent and {@return the ends the parent keeps}, with the child's pidfd. */
    SpawnedChild handOver(int pid, Descriptor pidfd) {
        closeChildEnds();
        handedOver = true;
        return new SpawnedChild(pid, pidfd, parentEnds[0], parentEnds[1], parentEnds[2]);
    }

    /** Closes everything, unless {@link #handOver} already did its part. */
    @Override
    public void close() {
        closeChildEnds();
        if (!handedOver) {
            for (Descriptor end : parentEnds) {
                if (end != null) {
                    end.close();
                }
            }
        }
    }

    // A loop and an if-chain rather than forEach and a pattern switch: each of those is bootstrapped
    // (a lambda class, a type-switch class) on a JVM's first start, and a first start should be cheap.

    private void closeChildEnds() {
        for (Descriptor end : childEnds) {
            end.close();
        }
    }

    private void prepare(Arena arena, int target, ChildStdio source) throws IOException {
        if (source instanceof ChildStdio.Pipe(boolean toNextChild)) {
            MemorySegment ends = arena.allocate(ValueLayout.JAVA_INT, 2);
            int result = Libc.pipe2(ends, forkwise_h.O_CLOEXEC());
            if (result < 0) {
                throw ExecFailure.setup("Pipe failed", -result);
            }
            int readFd = ends.get(ValueLayout.JAVA_INT, PIPE_READ * ValueLayout.JAVA_INT.byteSize());
            int writeFd = ends.get(ValueLayout.JAVA_INT, PIPE_WRITE * ValueLayout.JAVA_INT.byteSize());
            Descriptor read;
            Descriptor write;
            try {
                read = owned(readFd);
            } catch (IOException e) {
                Libc.close(writeFd);
                throw e;
            }
            try {
                write = owned(writeFd);
            } catch (IOException e) {
                read.close();
                throw e;
            }
            boolean childReads = target == 0;
            Descriptor parentEnd = childReads ? write : read;
            parentEnds[target] = parentEnd;
            childEnds.add(childReads ? read : write);
            childSide[target] = (childReads ? read : write).fd();
            if (!toNextChild) {
                // Only the parent's end: each end of a pipe has its own open file description.
                // FIONBIO sets O_NONBLOCK as fcntl(F_SETFL) would, through the ioctl the pipe's
                // reader links anyway (FIONREAD): one C function less to link on a first start.
                MemorySegment on = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
                int status = Libc.ioctl(parentEnd.fd(), forkwise_h.FIONBIO(), on);
                if (status < 0) {
                    throw ExecFailure.setup("Pipe failed", -status);
                }
            }
        } else if (source instanceof ChildStdio.Inherit) {
            childSide[target] = target;
        } else if (source instanceof ChildStdio.ReadFile(File file)) {
            Descriptor fd = openFile(arena, file, forkwise_h.O_RDONLY());
            childEnds.add(fd);
            childSide[target] = fd.fd();
            if (file.isDirectory()) {
                throw notFound(file, forkwise_h.EISDIR());
            }
        } else if (source instanceof ChildStdio.WriteFile(File file, boolean append)) {
            int flags = forkwise_h.O_WRONLY() | forkwise_h.O_CREAT()
                    | (append ? forkwise_h.O_APPEND() : forkwise_h.O_TRUNC());
            Descriptor fd = openFile(arena, file, flags);
            childEnds.add(fd);
            childSide[target] = fd.fd();
        } else if (source instanceof ChildStdio.Use(Descriptor descriptor)) {
            childSide[target] = descriptor.fd();
        } else {
            throw new AssertionError(source);
        }
    }

    /** Opens {@code file} as {@code FileInputStream}/{@code FileOutputStream} do, relative to the parent. */
    private Descriptor openFile(Arena arena, File file, int flags) throws IOException {
        String path = file.getPath();
        // A NUL would end the C string early and open another file; java.io refuses such a path.
        if (path.indexOf('\u0000') >= 0) {
            throw new FileNotFoundException("Invalid file path");
        }
        // java.io strips trailing slashes before open(2); do the same so errors match.
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        MemorySegment cPath = CStrings.of(arena, path.substring(0, end));
        int fd;
        do {
            fd = Libc.open(cPath, flags | forkwise_h.O_CLOEXEC(), 0666);
        } while (fd == -forkwise_h.EINTR());
        if (fd < 0) {
            throw notFound(file, -fd);
        }
        return owned(fd);
    }

    private static FileNotFoundException notFound(File file, int errno) {
        return new FileNotFoundException(file.getPath() + " (" + forkwise_h.strerror(errno).getString(0) + ")");
    }

    /**
     * Wraps a new descriptor, moving it to 3 or above first if the parent had 0, 1 or 2 closed, so
     * that one {@code dup2} action cannot overwrite another's source.
     */
    private static Descriptor owned(int fd) throws IOException {
        if (fd >= 3) {
            return new Descriptor(fd);
        }
        int moved = Libc.fcntl(fd, forkwise_h.F_DUPFD_CLOEXEC(), 3);
        Libc.close(fd);
        if (moved < 0) {
            throw ExecFailure.setup("Pipe failed", -moved);
        }
        return new Descriptor(moved);
    }
}
