package dev.forkwise.bindings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.forkwise.bindings.forkwise_h.C_INT;
import static dev.forkwise.bindings.forkwise_h.C_LONG;
import static dev.forkwise.bindings.forkwise_h.C_POINTER;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * What jextract cannot express: the C functions that report failure through {@code errno},
 * linked once each with {@code errno} capture; {@code read}/{@code write} into Java arrays;
 * the raw-system-call fallbacks of {@code pidfd_open}/{@code pidfd_send_signal}; symbol probes;
 * the running architecture's {@code struct epoll_event}; and the sizes and offsets a first start
 * reads without initialising the generated struct classes. See the package documentation.
 *
 * <p>Every function here returns its C result when that is {@code >= 0}, and {@code -errno}
 * otherwise.
 */
@SuppressWarnings("restricted")
public final class Libc {

    private Libc() {
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_STATE = Linker.Option.captureStateLayout();
    // Read at its offset: a VarHandle for it would cost a JVM's first start more than the read.
    private static final long ERRNO_OFFSET = CAPTURE_STATE.byteOffset(groupElement("errno"));

    /**
     * The descriptor of every function linked here, by C name; {@code BindingsMatchCHeadersTest}
     * compares them with the headers' prototypes. The variadic ones are described with the
     * arguments forkwise passes.
     */
    static final Map<String, FunctionDescriptor> DESCRIPTORS = Map.ofEntries(
            Map.entry("pipe2", FunctionDescriptor.of(C_INT, C_POINTER, C_INT)),
            Map.entry("close", FunctionDescriptor.of(C_INT, C_INT)),
            Map.entry("read", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG)),
            Map.entry("write", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG)),
            Map.entry("faccessat", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT)),
            Map.entry("waitpid", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT)),
            Map.entry("waitid", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER, C_INT)),
            Map.entry("kill", FunctionDescriptor.of(C_INT, C_INT, C_INT)),
            Map.entry("pidfd_open", FunctionDescriptor.of(C_INT, C_INT, C_INT)),
            Map.entry("pidfd_send_signal", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER, C_INT)),
            Map.entry("pidfd_getpid", FunctionDescriptor.of(C_INT, C_INT)),
            Map.entry("epoll_create1", FunctionDescriptor.of(C_INT, C_INT)),
            Map.entry("epoll_ctl", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER)),
            Map.entry("epoll_wait", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT)),
            Map.entry("poll", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT)),
            Map.entry("eventfd", FunctionDescriptor.of(C_INT, C_INT, C_INT)),
            Map.entry("fcntl", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT)),
            Map.entry("open", FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT)),
            Map.entry("ioctl", FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER)),
            Map.entry("syscall", FunctionDescriptor.of(C_LONG, C_LONG, C_INT, C_INT, C_POINTER, C_INT)));

    /** How many fixed parameters each variadic function in {@link #DESCRIPTORS} has. */
    static final Map<String, Integer> FIXED_PARAMETERS = Map.of("fcntl", 2, "open", 2, "ioctl", 2, "syscall", 1);

    /**
     * {@return whether the C library exports {@code symbol}}
     *
     * @param symbol a C function or variable name
     */
    public static boolean has(String symbol) {
        return forkwise_h.SYMBOL_LOOKUP.find(symbol).isPresent();
    }

    /**
     * Makes sure the symbol lookup finds the C library, so that {@link #has}'s "no" is the C
     * library's answer and not a failed lookup's. The JDK's default lookup loads a library of its
     * own on first use; when that fails (no descriptor left) it finds nothing for the life of the
     * JVM. The C library is then loaded again by its path, into the class loader whose lookup the
     * generated bindings ask first. A failure here is transient: call again later.
     *
     * @throws IOException if the C library cannot be found now
     */
    public static synchronized void ensureCLibraryFound() throws IOException {
        if (has(KNOWN_SYMBOL)) {
            return;
        }
        Path libc;
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            libc = maps.map(line -> line.substring(line.indexOf('/') < 0 ? line.length() : line.indexOf('/')))
                    .filter(path -> path.endsWith("/libc.so.6"))
                    .findFirst().map(Path::of)
                    .orElseThrow(() -> new IOException("the C library (libc.so.6) is not mapped"));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        try {
            System.load(libc.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("cannot load " + libc + ": " + e.getMessage(), e);
        }
        if (!has(KNOWN_SYMBOL)) {
            throw new IOException("no C library symbol can be found");
        }
    }

    /** A symbol every C library has: when the lookup does not find it, the lookup failed. */
    private static final String KNOWN_SYMBOL = "strerror";

    /**
     * {@snippet lang=c :
     * int pipe2(int fds[2], int flags)
     * }
     * Fills {@code fds} with two descriptors.
     *
     * @param fds room for two {@code int}s
     * @param flags {@code O_CLOEXEC}, {@code O_NONBLOCK}
     * @return 0, or {@code -errno}
     */
    public static int pipe2(MemorySegment fds, int flags) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) Pipe2.HANDLE.invokeExact(state.segment, fds, flags));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int close(int fd)
     * }
     *
     * @param fd the descriptor
     * @return 0, or {@code -errno}
     */
    public static int close(int fd) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) Close.HANDLE.invokeExact(state.segment, fd));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * ssize_t read(int fd, void *buf, size_t count)
     * }
     *
     * @param fd the descriptor
     * @param buffer where the bytes go, at least {@code count} long
     * @param count how many bytes to read at most
     * @return the number of bytes read (0 at end of file), or {@code -errno}
     */
    public static long read(int fd, MemorySegment buffer, long count) {
        try (CallState state = CallState.acquire()) {
            return state.result((long) Read.HANDLE.invokeExact(state.segment, fd, buffer, count));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * ssize_t write(int fd, const void *buf, size_t count)
     * }
     *
     * @param fd the descriptor
     * @param buffer the bytes, at least {@code count} long
     * @param count how many bytes to write
     * @return the number of bytes written, or {@code -errno}
     */
    public static long write(int fd, MemorySegment buffer, long count) {
        try (CallState state = CallState.acquire()) {
            return state.result((long) Write.HANDLE.invokeExact(state.segment, fd, buffer, count));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code read(2)} straight into a Java array, for descriptors in non-blocking mode only: the
     * call is linked as critical (no safepoint while it runs, heap memory allowed), which is
     * sound only because a non-blocking read returns at once.
     *
     * @param fd a descriptor in non-blocking mode
     * @param array where the bytes go
     * @param offset where in {@code array} they start
     * @param length how many bytes to read at most
     * @return the number of bytes read (0 at end of file), or {@code -errno} ({@code -EAGAIN}
     *         when nothing is there yet)
     */
    public static long readNonBlocking(int fd, byte[] array, int offset, int length) {
        MemorySegment target = MemorySegment.ofArray(array).asSlice(offset, length);
        try (CallState state = CallState.acquire()) {
            return state.result((long) ReadCritical.HANDLE.invokeExact(state.segment, fd, target, (long) length));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code write(2)} straight from a Java array, for descriptors in non-blocking mode only (see
     * {@link #readNonBlocking}).
     *
     * @param fd a descriptor in non-blocking mode
     * @param array the bytes
     * @param offset where in {@code array} they start
     * @param length how many bytes to write
     * @return the number of bytes written, or {@code -errno} ({@code -EAGAIN} when the pipe is
     *         full, {@code -EPIPE} when no reader is left)
     */
    public static long writeNonBlocking(int fd, byte[] array, int offset, int length) {
        MemorySegment source = MemorySegment.ofArray(array).asSlice(offset, length);
        try (CallState state = CallState.acquire()) {
            return state.result((long) WriteCritical.HANDLE.invokeExact(state.segment, fd, source, (long) length));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int faccessat(int dirfd, const char *pathname, int mode, int flags)
     * }
     *
     * @param dirFd the directory {@code path} is relative to, or {@code AT_FDCWD}
     * @param path a C string
     * @param mode {@code F_OK}, or {@code X_OK} and friends
     * @param flags {@code AT_EACCESS} or 0
     * @return 0, or {@code -errno}
     */
    public static int faccessat(int dirFd, MemorySegment path, int mode, int flags) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) Faccessat.HANDLE.invokeExact(state.segment, dirFd, path, mode, flags));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int fcntl(int fd, int cmd, ...)
     * }
     * Called with one {@code int} argument.
     *
     * @param fd the descriptor
     * @param command an {@code F_} command that takes an {@code int} (or ignores it)
     * @param argument its argument
     * @return the command's result, or {@code -errno}
     */
    public static int fcntl(int fd, int command, int argument) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) Fcntl.HANDLE.invokeExact(state.segment, fd, command, argument));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int open(const char *pathname, int flags, ...)
     * }
     * Called with the {@code mode_t} argument.
     *
     * @param path a C string
     * @param flags {@code O_} flags
     * @param mode the permissions of a file {@code O_CREAT} creates
     * @return the new descriptor, or {@code -errno}
     */
    public static int open(MemorySegment path, int flags, int mode) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) Open.HANDLE.invokeExact(state.segment, path, flags, mode));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int ioctl(int fd, unsigned long request, ...)
     * }
     * Called with one pointer argument.
     *
     * @param fd the descriptor
     * @param request a request that takes a pointer, such as {@code FIONREAD}
     * @param argument the pointer
     * @return the request's result, or {@code -errno}
     */
    public static int ioctl(int fd, long request, MemorySegment argument) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) Ioctl.HANDLE.invokeExact(state.segment, fd, request, argument));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * pid_t waitpid(pid_t pid, int *wstatus, int options)
     * }
     *
     * @param pid the child
     * @param status room for an {@code int}, or {@code NULL}
     * @param options {@code WNOHANG} or 0
     * @return the pid reaped (0 with {@code WNOHANG} if none), or {@code -errno}
     */
    public static int waitpid(int pid, MemorySegment status, int options) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) Waitpid.HANDLE.invokeExact(state.segment, pid, status, options));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options)
     * }
     *
     * @param idType {@code P_PID} or {@code P_PIDFD}
     * @param id the pid or pidfd
     * @param info a {@code siginfo_t}
     * @param options {@code WEXITED} and friends
     * @return 0, or {@code -errno}
     */
    public static int waitid(int idType, int id, MemorySegment info, int options) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) Waitid.HANDLE.invokeExact(state.segment, idType, id, info, options));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int kill(pid_t pid, int sig)
     * }
     *
     * @param pid the process (or, negative, the process group)
     * @param signal the signal number
     * @return 0, or {@code -errno}
     */
    public static int kill(int pid, int signal) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) Kill.HANDLE.invokeExact(state.segment, pid, signal));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int pidfd_open(pid_t pid, unsigned int flags)
     * }
     * Calls the raw system call where glibc (before 2.36) has no wrapper.
     *
     * @param pid the process
     * @param flags 0
     * @return a descriptor that refers to process {@code pid}, or {@code -errno} ({@code -ENOSYS}
     *         before Linux 5.3)
     */
    public static int pidfd_open(int pid, int flags) {
        if (PidfdOpen.HANDLE == null) {
            try (CallState state = CallState.acquire()) {
                return (int) state.result((long) Syscall.HANDLE.invokeExact(state.segment,
                        forkwise_h.SYS_pidfd_open(), pid, flags, MemorySegment.NULL, 0));
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) PidfdOpen.HANDLE.invokeExact(state.segment, pid, flags));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned int flags)
     * }
     * Signals the process {@code pidfd} refers to. Calls the raw system call where glibc (before
     * 2.36) has no wrapper.
     *
     * @param pidfd the process descriptor
     * @param signal the signal number
     * @param info {@code NULL}
     * @param flags 0
     * @return 0, or {@code -errno} ({@code -ESRCH} once that process has been reaped)
     */
    public static int pidfd_send_signal(int pidfd, int signal, MemorySegment info, int flags) {
        if (PidfdSendSignal.HANDLE == null) {
            try (CallState state = CallState.acquire()) {
                return (int) state.result((long) Syscall.HANDLE.invokeExact(state.segment,
                        forkwise_h.SYS_pidfd_send_signal(), pidfd, signal, info, flags));
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) PidfdSendSignal.HANDLE.invokeExact(state.segment, pidfd, signal, info, flags));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * pid_t pidfd_getpid(int fd)
     * }
     * Since glibc 2.39: probe with {@link #has}.
     *
     * @param pidfd the process descriptor
     * @return the pid, or {@code -errno}
     */
    public static int pidfd_getpid(int pidfd) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) PidfdGetpid.HANDLE.invokeExact(state.segment, pidfd));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int epoll_create1(int flags)
     * }
     *
     * @param flags {@code EPOLL_CLOEXEC} or 0
     * @return a new epoll descriptor, or {@code -errno}
     */
    public static int epoll_create1(int flags) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) EpollCreate1.HANDLE.invokeExact(state.segment, flags));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
     * }
     *
     * @param epollFd the epoll descriptor
     * @param operation {@code EPOLL_CTL_ADD} and friends
     * @param fd the descriptor watched
     * @param event an {@link #EPOLL_EVENT}
     * @return 0, or {@code -errno}
     */
    public static int epoll_ctl(int epollFd, int operation, int fd, MemorySegment event) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) EpollCtl.HANDLE.invokeExact(state.segment, epollFd, operation, fd, event));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)
     * }
     * Blocks.
     *
     * @param epollFd the epoll descriptor
     * @param events room for {@code maxEvents} {@link #EPOLL_EVENT}s
     * @param maxEvents how many events to return at most
     * @param timeoutMillis how long to wait, -1 for ever
     * @return the number of ready events, or {@code -errno}
     */
    public static int epoll_wait(int epollFd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) EpollWait.HANDLE.invokeExact(state.segment, epollFd, events, maxEvents, timeoutMillis));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int poll(struct pollfd *fds, nfds_t nfds, int timeout)
     * }
     * Blocks.
     *
     * @param fds {@code count} {@code struct pollfd}s
     * @param count how many
     * @param timeoutMillis how long to wait, -1 for ever
     * @return the number of ready descriptors (0 on timeout), or {@code -errno}
     */
    public static int poll(MemorySegment fds, long count, int timeoutMillis) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) Poll.HANDLE.invokeExact(state.segment, fds, count, timeoutMillis));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@snippet lang=c :
     * int eventfd(unsigned int initval, int flags)
     * }
     *
     * @param initialValue the counter's first value
     * @param flags {@code EFD_CLOEXEC}, {@code EFD_NONBLOCK}
     * @return a new event descriptor, or {@code -errno}
     */
    public static int eventfd(int initialValue, int flags) {
        try (CallState state = CallState.acquire()) {
            return (int) state.result((int) Eventfd.HANDLE.invokeExact(state.segment, initialValue, flags));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---- C objects forkwise only allocates -------------------------------------------------------

    // posix_spawn_file_actions_t, posix_spawnattr_t and sigset_t are opaque to forkwise: it
    // allocates them and C functions fill them. Their generated classes describe every field, and
    // initialising each builds a VarHandle for its padding array, which a JVM's first start would
    // pay for three times over. Their sizes, the same on every 64-bit Linux architecture, are here
    // instead; BindingsMatchCHeadersTest checks them against the C headers.

    /** {@code sizeof(posix_spawn_file_actions_t)}. */
    static final long POSIX_SPAWN_FILE_ACTIONS_SIZE = 80;
    /** {@code sizeof(posix_spawnattr_t)}. */
    static final long POSIX_SPAWNATTR_SIZE = 336;
    /** {@code sizeof(sigset_t)}. */
    static final long SIGSET_SIZE = 128;
    /** The alignment of each: that of the {@code long} or pointer they hold. */
    static final long OPAQUE_ALIGNMENT = 8;

    /**
     * {@return room for a {@code posix_spawn_file_actions_t}, for
     * {@code posix_spawn_file_actions_init} to fill}
     *
     * @param allocator where it is allocated
     */
    public static MemorySegment allocatePosixSpawnFileActions(SegmentAllocator allocator) {
        return allocator.allocate(POSIX_SPAWN_FILE_ACTIONS_SIZE, OPAQUE_ALIGNMENT);
    }

    /**
     * {@return room for a {@code posix_spawnattr_t}, for {@code posix_spawnattr_init} to fill}
     *
     * @param allocator where it is allocated
     */
    public static MemorySegment allocatePosixSpawnattr(SegmentAllocator allocator) {
        return allocator.allocate(POSIX_SPAWNATTR_SIZE, OPAQUE_ALIGNMENT);
    }

    /**
     * {@return room for a {@code sigset_t}, for {@code sigemptyset} to fill}
     *
     * @param allocator where it is allocated
     */
    public static MemorySegment allocateSigset(SegmentAllocator allocator) {
        return allocator.allocate(SIGSET_SIZE, OPAQUE_ALIGNMENT);
    }

    // ---- siginfo_t as waitid fills it ------------------------------------------------------------

    // The generated siginfo_t has the same layout, but initialising it builds a VarHandle for the
    // padding array of one of its union members, which costs a JVM's first start more than the
    // whole waitid it is needed for. The three fields waitid fills for a child are read at their
    // offsets instead, the same on every 64-bit Linux architecture; BindingsMatchCHeadersTest
    // checks them against the C headers.

    /** {@code sizeof(siginfo_t)}. */
    static final long SIGINFO_SIZE = 128;
    /** {@code _Alignof(siginfo_t)}. */
    static final long SIGINFO_ALIGNMENT = 8;
    /** {@code offsetof(siginfo_t, si_code)}. */
    static final long SI_CODE_OFFSET = 8;
    /** {@code offsetof(siginfo_t, si_pid)}: {@code _sifields._sigchld.si_pid}. */
    static final long SI_PID_OFFSET = 16;
    /** {@code offsetof(siginfo_t, si_status)}: {@code _sifields._sigchld.si_status}. */
    static final long SI_STATUS_OFFSET = 24;

    /**
     * {@return a zeroed {@code siginfo_t} for {@link #waitid}}
     *
     * @param allocator where it is allocated; it must zero what it allocates, as an arena does
     */
    public static MemorySegment allocateSiginfo(SegmentAllocator allocator) {
        return allocator.allocate(SIGINFO_SIZE, SIGINFO_ALIGNMENT);
    }

    /**
     * {@return how a child ended, in a {@code siginfo_t} that {@code waitid} filled for it:
     * {@code si_code}, such as {@code CLD_EXITED} or {@code CLD_KILLED}}
     *
     * @param info a {@code siginfo_t} from {@link #allocateSiginfo}
     */
    public static int si_code(MemorySegment info) {
        return info.get(C_INT, SI_CODE_OFFSET);
    }

    /**
     * {@return the exit status (or signal number) in a {@code siginfo_t} that {@code waitid} filled
     * for a child: glibc's {@code si_status}, {@code _sifields._sigchld.si_status}}
     *
     * @param info a {@code siginfo_t} from {@link #allocateSiginfo}
     */
    public static int si_status(MemorySegment info) {
        return info.get(C_INT, SI_STATUS_OFFSET);
    }

    /**
     * {@return the pid in a {@code siginfo_t} that {@code waitid} filled for a child}, 0 if
     * {@code WNOHANG} found no child in the state asked for: glibc's {@code si_pid},
     * {@code _sifields._sigchld.si_pid}
     *
     * @param info a {@code siginfo_t} from {@link #allocateSiginfo}
     */
    public static int si_pid(MemorySegment info) {
        return info.get(C_INT, SI_PID_OFFSET);
    }

    /**
     * {@return the value of {@code extern char **environ}, read now}: what the generated
     * {@code forkwise_h.environ()} returns, read as a {@linkplain #POINTER_AS_LONG 64-bit address}.
     */
    public static MemorySegment environ() {
        return MemorySegment.ofAddress(forkwise_h.environ$segment().get(POINTER_AS_LONG, 0));
    }

    /**
     * A C pointer, read and written as the 64-bit address it is on every platform forkwise runs on.
     * The JDK builds the access path of {@code ValueLayout.ADDRESS} (and of any {@code *AtIndex}
     * access) from method-handle adapters on first use, which a JVM's first start pays for; a
     * {@code long} at a byte offset needs none.
     */
    public static final ValueLayout.OfLong POINTER_AS_LONG = ValueLayout.JAVA_LONG;

    /**
     * {@return the entries of this process's {@code extern char **environ}, as their bytes
     * (without the NUL), in order}, read now. Nothing may change {@code environ} meanwhile (no
     * {@code setenv} in another thread), as for any reader of it.
     */
    public static List<byte[]> environEntries() {
        List<byte[]> entries = new ArrayList<>();
        MemorySegment environ = environ();
        if (environ.equals(MemorySegment.NULL)) {
            return entries;
        }
        MemorySegment vector = environ.reinterpret(Long.MAX_VALUE);
        for (long i = 0; ; i++) {
            long entry = vector.get(POINTER_AS_LONG, i * POINTER_AS_LONG.byteSize());
            if (entry == 0) {
                return entries;
            }
            MemorySegment string = MemorySegment.ofAddress(entry).reinterpret(Long.MAX_VALUE);
            long length = 0;
            while (string.get(ValueLayout.JAVA_BYTE, length) != 0) {
                length++;
            }
            entries.add(string.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    // ---- struct epoll_event of the running architecture ------------------------------------------

    /**
     * {@code struct epoll_event} as the running architecture lays it out: packed (12 bytes) on
     * x86_64 only, where glibc declares it {@code __attribute__((packed))}; naturally aligned
     * (16 bytes) everywhere else. The generated {@link epoll_event} is the one of the machine that
     * generated it (x86_64), so it is right on x86_64 only; use this one.
     */
    public static final StructLayout EPOLL_EVENT = epollEventLayout(System.getProperty("os.arch"));

    static StructLayout epollEventLayout(String arch) {
        boolean packed = arch.equals("amd64") || arch.equals("x86_64");
        return packed
                ? MemoryLayout.structLayout(C_INT.withName("events"), C_LONG.withByteAlignment(4).withName("data"))
                : MemoryLayout.structLayout(C_INT.withName("events"), MemoryLayout.paddingLayout(4),
                        C_LONG.withName("data"));
    }

    private static final long EVENTS_OFFSET = EPOLL_EVENT.byteOffset(groupElement("events"));
    private static final long DATA_OFFSET = EPOLL_EVENT.byteOffset(groupElement("data"));
    private static final ValueLayout.OfLong DATA = C_LONG.withByteAlignment(4);

    /**
     * {@return the {@code events} field of the {@code struct epoll_event} at {@code event}}
     *
     * @param event an {@link #EPOLL_EVENT}
     */
    public static int epoll_event_events(MemorySegment event) {
        return event.get(C_INT, EVENTS_OFFSET);
    }

    /**
     * Sets the {@code events} field of the {@code struct epoll_event} at {@code event}.
     *
     * @param event an {@link #EPOLL_EVENT}
     * @param events {@code EPOLLIN} and friends
     */
    public static void epoll_event_events(MemorySegment event, int events) {
        event.set(C_INT, EVENTS_OFFSET, events);
    }

    /**
     * {@return the {@code data.u64} field of the {@code struct epoll_event} at {@code event}}
     *
     * @param event an {@link #EPOLL_EVENT}
     */
    public static long epoll_event_data(MemorySegment event) {
        return event.get(DATA, DATA_OFFSET);
    }

    /**
     * Sets the {@code data.u64} field of the {@code struct epoll_event} at {@code event}.
     *
     * @param event an {@link #EPOLL_EVENT}
     * @param data the token {@code epoll_wait} gives back
     */
    public static void epoll_event_data(MemorySegment event, long data) {
        event.set(DATA, DATA_OFFSET, data);
    }

    // ---- the handles: each linked once, on first use ---------------------------------------------

    private static final class Pipe2 {
        static final MethodHandle HANDLE = link("pipe2");
    }

    private static final class Close {
        static final MethodHandle HANDLE = link("close");
    }

    private static final class Read {
        static final MethodHandle HANDLE = link("read");
    }

    private static final class Write {
        static final MethodHandle HANDLE = link("write");
    }

    // A second handle each for read and write, for a different purpose: critical, so that the
    // buffer may be a Java array. Sound for non-blocking descriptors only, which never wait.

    private static final class ReadCritical {
        static final MethodHandle HANDLE = link("read", Linker.Option.critical(true));
    }

    private static final class WriteCritical {
        static final MethodHandle HANDLE = link("write", Linker.Option.critical(true));
    }

    private static final class Faccessat {
        static final MethodHandle HANDLE = link("faccessat");
    }

    private static final class Fcntl {
        static final MethodHandle HANDLE = link("fcntl");
    }

    private static final class Open {
        static final MethodHandle HANDLE = link("open");
    }

    private static final class Ioctl {
        static final MethodHandle HANDLE = link("ioctl");
    }

    private static final class Waitpid {
        static final MethodHandle HANDLE = link("waitpid");
    }

    private static final class Waitid {
        static final MethodHandle HANDLE = link("waitid");
    }

    private static final class Kill {
        static final MethodHandle HANDLE = link("kill");
    }

    private static final class Syscall {
        static final MethodHandle HANDLE = link("syscall");
    }

    private static final class PidfdOpen {
        static final MethodHandle HANDLE = has("pidfd_open") ? link("pidfd_open") : null;
    }

    private static final class PidfdSendSignal {
        static final MethodHandle HANDLE = has("pidfd_send_signal") ? link("pidfd_send_signal") : null;
    }

    private static final class PidfdGetpid {
        static final MethodHandle HANDLE = link("pidfd_getpid");
    }

    private static final class EpollCreate1 {
        static final MethodHandle HANDLE = link("epoll_create1");
    }

    private static final class EpollCtl {
        static final MethodHandle HANDLE = link("epoll_ctl");
    }

    private static final class EpollWait {
        static final MethodHandle HANDLE = link("epoll_wait");
    }

    private static final class Poll {
        static final MethodHandle HANDLE = link("poll");
    }

    private static final class Eventfd {
        static final MethodHandle HANDLE = link("eventfd");
    }

    // ---- plumbing --------------------------------------------------------------------------------

    /**
     * Links {@code name} with its {@link #DESCRIPTORS descriptor}, capturing {@code errno}; the
     * handle takes the capture state as its first argument.
     */
    private static MethodHandle link(String name, Linker.Option... extra) {
        Integer fixed = FIXED_PARAMETERS.get(name);
        Linker.Option[] options = Arrays.copyOf(extra, extra.length + (fixed == null ? 1 : 2));
        options[extra.length] = Linker.Option.captureCallState("errno");
        if (fixed != null) {
            options[extra.length + 1] = Linker.Option.firstVariadicArg(fixed);
        }
        return LINKER.downcallHandle(forkwise_h.findOrThrow(name), DESCRIPTORS.get(name), options);
    }

    /**
     * The capture state of one call, which a handle from {@link #link} takes as its first argument.
     * A platform thread reuses one for every call it makes (calls never nest), freed with the
     * thread; a virtual thread, of which there may be thousands, gets one per call, freed by
     * {@link #close}. Each function above is written out in full, without a lambda, so that a
     * JVM's first call spins no class for it.
     */
    private static final class CallState implements AutoCloseable {

        private static final ThreadLocal<CallState> PLATFORM = new ThreadLocal<>() {
            @Override
            protected CallState initialValue() {
                return new CallState(Arena.ofAuto().allocate(CAPTURE_STATE), null);
            }
        };

        final MemorySegment segment;
        /** The virtual thread's arena of this call; null for a platform thread's state. */
        private final Arena arena;

        private CallState(MemorySegment segment, Arena arena) {
            this.segment = segment;
            this.arena = arena;
        }

        static CallState acquire() {
            if (!Thread.currentThread().isVirtual()) {
                return PLATFORM.get();
            }
            Arena arena = Arena.ofConfined();
            return new CallState(arena.allocate(CAPTURE_STATE), arena);
        }

        /** {@return {@code result} if >= 0, else -errno} */
        long result(long result) {
            return result >= 0 ? result : -segment.get(C_INT, ERRNO_OFFSET);
        }

        @Override
        public void close() {
            if (arena != null) {
                arena.close();
            }
        }
    }

    /** {@return what a downcall threw, as it is}; a checked exception cannot come from one. */
    private static Error unexpected(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        return t instanceof Error e ? e : new AssertionError("should not reach here", t);
    }
}
