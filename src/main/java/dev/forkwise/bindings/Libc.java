package dev.forkwise.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The C functions forkwise calls, as static methods: the facade of the bindings layer.
 *
 * <p>Functions that report failure through {@code errno} are linked here a second time, from the
 * generated descriptor and address, with {@link Linker.Option#captureCallState(String...)}, so that
 * {@code errno} is read straight after the call and no other code in the JVM can clobber it. Their
 * wrappers return the C result when it is {@code >= 0} and {@code -errno} otherwise (the JDK's
 * {@code CaptureStateUtil} idiom): callers test the sign, never a thread-local.
 *
 * <p>The {@code posix_spawn} family returns its error number itself; those wrappers return the
 * function's result unchanged ({@code 0} or an error number).
 *
 * <p>Symbols that an older libc may lack are probed with {@link #has(String)} before first use; the
 * holder class of each function resolves its symbol on first call only.
 */
@SuppressWarnings("restricted")
public final class Libc {

    private Libc() {
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_STATE.varHandle(groupElement("errno"));

    /**
     * {@return whether the C library exports {@code symbol}}
     *
     * @param symbol a C function or variable name
     */
    public static boolean has(String symbol) {
        return forkwise_h.SYMBOL_LOOKUP.find(symbol).isPresent();
    }

    // ---- posix_spawn family: returns 0 or an error number -------------------------------------

    /** {@code posix_spawn(3)}: returns 0, or the error number. */
    public static int posix_spawn(MemorySegment pid, MemorySegment path, MemorySegment fileActions,
                                  MemorySegment attributes, MemorySegment argv, MemorySegment envp) {
        return forkwise_h.posix_spawn(pid, path, fileActions, attributes, argv, envp);
    }

    /** {@code posix_spawn_file_actions_init(3)}: returns 0, or the error number. */
    public static int posix_spawn_file_actions_init(MemorySegment actions) {
        return forkwise_h.posix_spawn_file_actions_init(actions);
    }

    /** {@code posix_spawn_file_actions_destroy(3)}: returns 0, or the error number. */
    public static int posix_spawn_file_actions_destroy(MemorySegment actions) {
        return forkwise_h.posix_spawn_file_actions_destroy(actions);
    }

    /** {@code posix_spawn_file_actions_adddup2(3)}: returns 0, or the error number. */
    public static int posix_spawn_file_actions_adddup2(MemorySegment actions, int fd, int newFd) {
        return forkwise_h.posix_spawn_file_actions_adddup2(actions, fd, newFd);
    }

    /** {@code posix_spawn_file_actions_addopen(3)}: returns 0, or the error number. */
    public static int posix_spawn_file_actions_addopen(MemorySegment actions, int fd, MemorySegment path,
                                                       int flags, int mode) {
        return forkwise_h.posix_spawn_file_actions_addopen(actions, fd, path, flags, mode);
    }

    /** {@code posix_spawn_file_actions_addclose(3)}: returns 0, or the error number. */
    public static int posix_spawn_file_actions_addclose(MemorySegment actions, int fd) {
        return forkwise_h.posix_spawn_file_actions_addclose(actions, fd);
    }

    /** {@code posix_spawn_file_actions_addchdir_np(3)} (glibc 2.29): returns 0, or the error number. */
    public static int posix_spawn_file_actions_addchdir_np(MemorySegment actions, MemorySegment path) {
        return forkwise_h.posix_spawn_file_actions_addchdir_np(actions, path);
    }

    /** {@code posix_spawn_file_actions_addclosefrom_np(3)} (glibc 2.34): returns 0, or the error number. */
    public static int posix_spawn_file_actions_addclosefrom_np(MemorySegment actions, int from) {
        return forkwise_h.posix_spawn_file_actions_addclosefrom_np(actions, from);
    }

    /** {@code posix_spawnattr_init(3)}: returns 0, or the error number. */
    public static int posix_spawnattr_init(MemorySegment attributes) {
        return forkwise_h.posix_spawnattr_init(attributes);
    }

    /** {@code posix_spawnattr_destroy(3)}: returns 0, or the error number. */
    public static int posix_spawnattr_destroy(MemorySegment attributes) {
        return forkwise_h.posix_spawnattr_destroy(attributes);
    }

    /** {@code posix_spawnattr_setflags(3)}: returns 0, or the error number. */
    public static int posix_spawnattr_setflags(MemorySegment attributes, short flags) {
        return forkwise_h.posix_spawnattr_setflags(attributes, flags);
    }

    /** {@code posix_spawnattr_setsigmask(3)}: returns 0, or the error number. */
    public static int posix_spawnattr_setsigmask(MemorySegment attributes, MemorySegment sigmask) {
        return forkwise_h.posix_spawnattr_setsigmask(attributes, sigmask);
    }

    /** {@code posix_spawnattr_setsigdefault(3)}: returns 0, or the error number. */
    public static int posix_spawnattr_setsigdefault(MemorySegment attributes, MemorySegment sigdefault) {
        return forkwise_h.posix_spawnattr_setsigdefault(attributes, sigdefault);
    }

    /** {@code posix_spawnattr_setpgroup(3)}: returns 0, or the error number. */
    public static int posix_spawnattr_setpgroup(MemorySegment attributes, int pgroup) {
        return forkwise_h.posix_spawnattr_setpgroup(attributes, pgroup);
    }

    // ---- signal sets: these fail only for a signal number glibc rejects ---------------------------

    /** {@code sigemptyset(3)}. */
    public static void sigemptyset(MemorySegment set) {
        forkwise_h.sigemptyset(set);
    }

    /** {@code sigaddset(3)}: returns 0, or -1 for a signal number glibc rejects. */
    public static int sigaddset(MemorySegment set, int signal) {
        return forkwise_h.sigaddset(set, signal);
    }

    /**
     * {@code sigaction(2)}, {@code act} may be {@link MemorySegment#NULL} to query only: returns 0,
     * or -1 for a signal number glibc rejects (it reserves two real-time signals for itself).
     */
    public static int sigaction(int signal, MemorySegment act, MemorySegment oldAct) {
        return forkwise_h.sigaction(signal, act, oldAct);
    }

    // ---- errno-reporting functions: return >= 0, or -errno --------------------------------------

    private static final class Pipe2 {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.pipe2$address(), forkwise_h.pipe2$descriptor());
    }

    /** {@code pipe2(2)}: fills {@code fds} with two descriptors; returns 0, or {@code -errno}. */
    public static int pipe2(MemorySegment fds, int flags) {
        return (int) withErrno(state -> (int) Pipe2.HANDLE.invokeExact(state, fds, flags));
    }

    private static final class Close {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.close$address(), forkwise_h.close$descriptor());
    }

    /** {@code close(2)}: returns 0, or {@code -errno}. */
    public static int close(int fd) {
        return (int) withErrno(state -> (int) Close.HANDLE.invokeExact(state, fd));
    }

    private static final class Read {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.read$address(), forkwise_h.read$descriptor());
    }

    /** {@code read(2)}: returns the number of bytes read (0 at end of file), or {@code -errno}. */
    public static long read(int fd, MemorySegment buffer, long count) {
        return withErrno(state -> (long) Read.HANDLE.invokeExact(state, fd, buffer, count));
    }

    private static final class Write {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.write$address(), forkwise_h.write$descriptor());
    }

    /** {@code write(2)}: returns the number of bytes written, or {@code -errno}. */
    public static long write(int fd, MemorySegment buffer, long count) {
        return withErrno(state -> (long) Write.HANDLE.invokeExact(state, fd, buffer, count));
    }

    private static final class ReadHeap {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.read$address(), forkwise_h.read$descriptor(),
                Linker.Option.critical(true));
    }

    /**
     * {@code read(2)} straight into a Java array, for descriptors in non-blocking mode only: the
     * call is linked as critical (no safepoint while it runs, heap memory allowed), which is
     * sound only because a non-blocking read returns at once. Returns the number of bytes read
     * (0 at end of file), or {@code -errno} ({@code -EAGAIN} when nothing is there yet).
     */
    public static long readNonBlocking(int fd, byte[] array, int offset, int length) {
        MemorySegment target = MemorySegment.ofArray(array).asSlice(offset, length);
        return withErrno(state -> (long) ReadHeap.HANDLE.invokeExact(state, fd, target, (long) length));
    }

    private static final class WriteHeap {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.write$address(), forkwise_h.write$descriptor(),
                Linker.Option.critical(true));
    }

    /**
     * {@code write(2)} straight from a Java array, for descriptors in non-blocking mode only (see
     * {@link #readNonBlocking}). Returns the number of bytes written, or {@code -errno}
     * ({@code -EAGAIN} when the pipe is full, {@code -EPIPE} when no reader is left).
     */
    public static long writeNonBlocking(int fd, byte[] array, int offset, int length) {
        MemorySegment source = MemorySegment.ofArray(array).asSlice(offset, length);
        return withErrno(state -> (long) WriteHeap.HANDLE.invokeExact(state, fd, source, (long) length));
    }

    private static final class Faccessat {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.faccessat$address(), forkwise_h.faccessat$descriptor());
    }

    /** {@code faccessat(2)}: returns 0, or {@code -errno}. */
    public static int faccessat(int dirFd, MemorySegment path, int mode, int flags) {
        return (int) withErrno(state -> (int) Faccessat.HANDLE.invokeExact(state, dirFd, path, mode, flags));
    }

    private static final class Fcntl {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.fcntl.address(),
                forkwise_h.fcntl.makeInvoker(forkwise_h.C_INT).descriptor(), Linker.Option.firstVariadicArg(2));
    }

    /** {@code fcntl(2)} with an {@code int} argument: returns the command's result, or {@code -errno}. */
    public static int fcntl(int fd, int command, int argument) {
        return (int) withErrno(state -> (int) Fcntl.HANDLE.invokeExact(state, fd, command, argument));
    }

    private static final class Open {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.open.address(),
                forkwise_h.open.makeInvoker(forkwise_h.C_INT).descriptor(), Linker.Option.firstVariadicArg(2));
    }

    /** {@code open(2)} with a creation mode: returns the new descriptor, or {@code -errno}. */
    public static int open(MemorySegment path, int flags, int mode) {
        return (int) withErrno(state -> (int) Open.HANDLE.invokeExact(state, path, flags, mode));
    }

    private static final class Ioctl {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.ioctl.address(),
                forkwise_h.ioctl.makeInvoker(forkwise_h.C_POINTER).descriptor(), Linker.Option.firstVariadicArg(2));
    }

    /** {@code ioctl(2)} with a pointer argument: returns the request's result, or {@code -errno}. */
    public static int ioctl(int fd, long request, MemorySegment argument) {
        return (int) withErrno(state -> (int) Ioctl.HANDLE.invokeExact(state, fd, request, argument));
    }

    private static final class Waitpid {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.waitpid$address(), forkwise_h.waitpid$descriptor());
    }

    /** {@code waitpid(2)}: returns the pid reaped (0 with {@code WNOHANG} if none), or {@code -errno}. */
    public static int waitpid(int pid, MemorySegment status, int options) {
        return (int) withErrno(state -> (int) Waitpid.HANDLE.invokeExact(state, pid, status, options));
    }

    private static final class Waitid {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.waitid$address(), forkwise_h.waitid$descriptor());
    }

    /** {@code waitid(2)}: returns 0, or {@code -errno}. */
    public static int waitid(int idType, int id, MemorySegment info, int options) {
        return (int) withErrno(state -> (int) Waitid.HANDLE.invokeExact(state, idType, id, info, options));
    }

    private static final class Kill {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.kill$address(), forkwise_h.kill$descriptor());
    }

    /** {@code kill(2)}: returns 0, or {@code -errno}. */
    public static int kill(int pid, int signal) {
        return (int) withErrno(state -> (int) Kill.HANDLE.invokeExact(state, pid, signal));
    }

    private static final class Syscall2 {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.syscall.address(),
                forkwise_h.syscall.makeInvoker(forkwise_h.C_INT, forkwise_h.C_INT).descriptor(),
                Linker.Option.firstVariadicArg(1));
    }

    private static final class Syscall4 {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.syscall.address(),
                forkwise_h.syscall.makeInvoker(forkwise_h.C_INT, forkwise_h.C_INT, forkwise_h.C_POINTER,
                        forkwise_h.C_INT).descriptor(),
                Linker.Option.firstVariadicArg(1));
    }

    private static final class PidfdOpen {
        static final MethodHandle HANDLE = has("pidfd_open")
                ? linkWithErrno(forkwise_h.pidfd_open$address(), forkwise_h.pidfd_open$descriptor())
                : null;
    }

    /**
     * {@code pidfd_open(2)}: returns a descriptor that refers to process {@code pid}, or
     * {@code -errno} ({@code -ENOSYS} before Linux 5.3). Calls the raw system call where glibc
     * (before 2.36) has no wrapper.
     */
    public static int pidfd_open(int pid, int flags) {
        if (PidfdOpen.HANDLE == null) {
            return (int) withErrno(state -> (long) Syscall2.HANDLE.invokeExact(state,
                    (long) forkwise_h.SYS_pidfd_open(), pid, flags));
        }
        return (int) withErrno(state -> (int) PidfdOpen.HANDLE.invokeExact(state, pid, flags));
    }

    private static final class PidfdSendSignal {
        static final MethodHandle HANDLE = has("pidfd_send_signal")
                ? linkWithErrno(forkwise_h.pidfd_send_signal$address(), forkwise_h.pidfd_send_signal$descriptor())
                : null;
    }

    /**
     * {@code pidfd_send_signal(2)}: signals the process {@code pidfd} refers to; returns 0, or
     * {@code -errno} ({@code -ESRCH} once that process has been reaped).
     */
    public static int pidfd_send_signal(int pidfd, int signal, MemorySegment info, int flags) {
        if (PidfdSendSignal.HANDLE == null) {
            return (int) withErrno(state -> (long) Syscall4.HANDLE.invokeExact(state,
                    (long) forkwise_h.SYS_pidfd_send_signal(), pidfd, signal, info, flags));
        }
        return (int) withErrno(state -> (int) PidfdSendSignal.HANDLE.invokeExact(state, pidfd, signal, info, flags));
    }

    /** {@code pidfd_spawn(3)} (glibc 2.39; probe with {@link #has}): returns 0, or the error number. */
    public static int pidfd_spawn(MemorySegment pidfd, MemorySegment path, MemorySegment fileActions,
                                  MemorySegment attributes, MemorySegment argv, MemorySegment envp) {
        return forkwise_h.pidfd_spawn(pidfd, path, fileActions, attributes, argv, envp);
    }

    private static final class PidfdGetpid {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.pidfd_getpid$address(), forkwise_h.pidfd_getpid$descriptor());
    }

    /** {@code pidfd_getpid(3)} (glibc 2.39; probe with {@link #has}): returns the pid, or {@code -errno}. */
    public static int pidfd_getpid(int pidfd) {
        return (int) withErrno(state -> (int) PidfdGetpid.HANDLE.invokeExact(state, pidfd));
    }

    private static final class EpollCreate1 {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.epoll_create1$address(), forkwise_h.epoll_create1$descriptor());
    }

    /** {@code epoll_create1(2)}: returns a new epoll descriptor, or {@code -errno}. */
    public static int epoll_create1(int flags) {
        return (int) withErrno(state -> (int) EpollCreate1.HANDLE.invokeExact(state, flags));
    }

    private static final class EpollCtl {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.epoll_ctl$address(), forkwise_h.epoll_ctl$descriptor());
    }

    /** {@code epoll_ctl(2)}: returns 0, or {@code -errno}. */
    public static int epoll_ctl(int epollFd, int operation, int fd, MemorySegment event) {
        return (int) withErrno(state -> (int) EpollCtl.HANDLE.invokeExact(state, epollFd, operation, fd, event));
    }

    private static final class EpollWait {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.epoll_wait$address(), forkwise_h.epoll_wait$descriptor());
    }

    /** {@code epoll_wait(2)}: returns the number of ready events, or {@code -errno}. Blocks. */
    public static int epoll_wait(int epollFd, MemorySegment events, int maxEvents, int timeoutMillis) {
        return (int) withErrno(state -> (int) EpollWait.HANDLE.invokeExact(state, epollFd, events, maxEvents, timeoutMillis));
    }

    private static final class Poll {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.poll$address(), forkwise_h.poll$descriptor());
    }

    /** {@code poll(2)}: returns the number of ready descriptors (0 on timeout), or {@code -errno}. Blocks. */
    public static int poll(MemorySegment fds, long count, int timeoutMillis) {
        return (int) withErrno(state -> (int) Poll.HANDLE.invokeExact(state, fds, count, timeoutMillis));
    }

    private static final class Eventfd {
        static final MethodHandle HANDLE = linkWithErrno(forkwise_h.eventfd$address(), forkwise_h.eventfd$descriptor());
    }

    /** {@code eventfd(2)}: returns a new event descriptor, or {@code -errno}. */
    public static int eventfd(int initialValue, int flags) {
        return (int) withErrno(state -> (int) Eventfd.HANDLE.invokeExact(state, initialValue, flags));
    }

    // ---- strings ---------------------------------------------------------------------------------

    /** {@return the C library's text for an error number, as {@code strerror(3)} gives it} */
    public static String strerror(int errno) {
        return forkwise_h.strerror(errno).getString(0);
    }

    /** {@return the glibc version string, as {@code gnu_get_libc_version(3)} gives it} */
    public static String gnu_get_libc_version() {
        return forkwise_h.gnu_get_libc_version().getString(0);
    }

    /** {@return the process's current {@code environ} pointer} */
    public static MemorySegment environ() {
        return forkwise_h.environ();
    }

    // ---- plumbing --------------------------------------------------------------------------------

    private static MethodHandle linkWithErrno(MemorySegment address, FunctionDescriptor descriptor,
                                          Linker.Option... options) {
        Linker.Option[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = CAPTURE_ERRNO;
        return LINKER.downcallHandle(address, descriptor, all);
    }

    /** A downcall through a handle linked with {@link #CAPTURE_ERRNO}, whose first argument is the state. */
    @FunctionalInterface
    private interface ErrnoCall {
        long invoke(MemorySegment state) throws Throwable;
    }

    /**
     * A platform thread's capture state, reused by every call it makes (calls never nest); freed
     * with the thread. Virtual threads, which come and go by the thousand, get one per call.
     */
    private static final ThreadLocal<MemorySegment> PLATFORM_CAPTURE_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_STATE));

    /** Runs {@code call} with a capture state; {@return its result if >= 0, else -errno}. */
    private static long withErrno(ErrnoCall call) {
        if (!Thread.currentThread().isVirtual()) {
            return withErrno(call, PLATFORM_CAPTURE_STATE.get());
        }
        try (Arena arena = Arena.ofConfined()) {
            return withErrno(call, arena.allocate(CAPTURE_STATE));
        }
    }

    private static long withErrno(ErrnoCall call, MemorySegment state) {
        try {
            long result = call.invoke(state);
            return result >= 0 ? result : -(int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new AssertionError("should not reach here", t);
    }
}
