package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.ExecFailure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread and one {@code epoll} instance that serve every child of this JVM: they learn
 * that a child exited (its pidfd becomes readable), that a pipe is ready, or that a deadline has
 * passed, and run the handler registered for it.
 *
 * <p>Handlers run on the loop thread, one at a time, and must not block: they reap a child that has
 * already exited, send a signal, wake a parked thread or complete a future. An exception from a
 * handler is logged and the loop goes on.
 *
 * <p>Registration is thread-safe and does not involve the loop thread: {@code epoll_ctl} may be
 * called while the loop waits. Each registration is known by a token that the kernel hands back
 * with the event, never by its descriptor number, so an event for a descriptor that was
 * forgotten, closed and whose number was reused reaches no one.
 *
 * <p>With nothing to watch (no registration, task or timer) the loop thread parks in Java instead
 * of waiting in {@code epoll_wait}: HotSpot holds up a JVM's exit for up to 300 ms while any
 * thread is inside a native call, so a loop left in {@code epoll_wait} after the last child would
 * cost every short-lived JVM that much at its exit. It lingers in {@code epoll_wait} for
 * {@value #LINGER_MILLIS} ms first, so that a steady stream of starts never parks it (an unpark
 * per start would cost each a futex wake-up); a JVM exits at most that much later. A registration
 * or a hand-off unparks it.
 */
final class EventLoop {

    /** What to do when a registered descriptor is ready. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Called on the loop thread with the ready {@code events} ({@code EPOLLIN} ...).
         *
         * @param token the registration's token, for {@link #forget} or {@link #rearm}
         */
        void ready(long token, int events);
    }

    /**
     * A scheduled action; {@link #cancel()} prevents it if it has not run yet, and takes it out of
     * the queue at once, so that a cancelled timer holds nothing (a deadline's action holds its
     * process and streams) until a deadline that may be hours away.
     */
    public static final class Timer implements Comparable<Timer> {
        private final EventLoop loop;
        private final long deadline;
        /** The action, until it starts or is cancelled; then null. */
        private volatile Runnable action;

        private Timer(EventLoop loop, long deadline, Runnable action) {
            this.loop = loop;
            this.deadline = deadline;
            this.action = action;
        }

        /** Cancels the action and drops it from the queue; it does nothing once the action has started. */
        public void cancel() {
            if (action == null) {
                return;
            }
            action = null;
            if (loop.inLoop()) {
                loop.timers.remove(this);
            } else {
                loop.execute(() -> loop.timers.remove(this));
            }
        }

        @Override
        public int compareTo(Timer other) {
            return Long.compare(deadline, other.deadline);
        }
    }

    private static final long WAKEUP_TOKEN = 0;
    private static final int BATCH = 64;
    /** How long the loop waits in {@code epoll_wait} with nothing to watch before it parks. */
    static final int LINGER_MILLIS = 10;
    /** The 8-byte 1 that a wake-up writes to the eventfd; never written after it is made. */
    private static final MemorySegment ONE = Arena.global().allocateFrom(ValueLayout.JAVA_LONG, 1L);

    /** Null until the first {@link #instance()} that could create the loop; then that loop, for good. */
    private static volatile EventLoop instance;

    private final int epollFd;
    private final int wakeupFd;
    private final ConcurrentHashMap<Long, Handler> handlers = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong(WAKEUP_TOKEN + 1);
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Loop thread only. */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Loop thread only. */
    private final byte[] scratch = new byte[64 * 1024];
    private final Thread thread;
    /** Whether an eventfd write is pending, not yet followed by a drain of {@link #tasks}. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final LongAdder wakeups = new LongAdder();
    /** Whether the loop thread is parked, or about to park, for want of anything to watch. */
    private volatile boolean idle;

    private EventLoop(int epollFd, int wakeupFd) {
        this.epollFd = epollFd;
        this.wakeupFd = wakeupFd;
        this.thread = Thread.ofPlatform().name("forkwise-watcher").daemon().unstarted(this::run);
    }

    /**
     * {@return the event loop of this JVM}, created and started by the first call that can; it
     * lives as long as the JVM. A call that cannot create it leaves nothing behind, and the next
     * call tries again.
     *
     * @throws IOException if the kernel refuses a descriptor, or the thread cannot start
     */
    public static EventLoop instance() throws IOException {
        EventLoop loop = instance;
        if (loop == null) {
            synchronized (EventLoop.class) {
                loop = instance;
                if (loop == null) {
                    loop = create();
                    instance = loop;
                }
            }
        }
        return loop;
    }

    /**
     * {@link #instance()} for callers that work on a started child and cannot report an
     * {@code IOException}: the loop runs already wherever children are watched through pidfds.
     *
     * @throws UncheckedIOException if the loop cannot be created
     */
    static EventLoop instanceUnchecked() {
        try {
            return instance();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EventLoop create() throws IOException {
        int epollFd = check(Libc.epoll_create1(forkwise_h.EPOLL_CLOEXEC()), "epoll_create1");
        int wakeupFd = -1;
        try {
            wakeupFd = check(Libc.eventfd(0, forkwise_h.EFD_CLOEXEC() | forkwise_h.EFD_NONBLOCK()), "eventfd");
            EventLoop loop = new EventLoop(epollFd, wakeupFd);
            loop.control(forkwise_h.EPOLL_CTL_ADD(), wakeupFd, forkwise_h.EPOLLIN(), WAKEUP_TOKEN);
            InfrastructureThreads.start(loop.thread);
            return loop;
        } catch (IOException | RuntimeException | Error e) {
            if (wakeupFd >= 0) {
                Libc.close(wakeupFd);
            }
            Libc.close(epollFd);
            throw e;
        }
    }

    /**
     * Watches {@code fd} for {@code events} until it is closed ({@link #forget} its handler first).
     *
     * @return the registration's token
     * @throws IOException if the kernel refuses ({@code ENOMEM}, {@code ENOSPC})
     */
    public long register(int fd, int events, Handler handler) throws IOException {
        long token = tokens.getAndIncrement();
        handlers.put(token, handler);
        wakeIfIdle();   // after the put: see awaitWork
        try {
            control(forkwise_h.EPOLL_CTL_ADD(), fd, events, token);
        } catch (IOException e) {
            handlers.remove(token);
            throw e;
        }
        return token;
    }

    /** Re-enables a registration made with {@code EPOLLONESHOT}, with {@code events}. */
    public void rearm(int fd, long token, int events) throws IOException {
        control(forkwise_h.EPOLL_CTL_MOD(), fd, events, token);
    }

    /**
     * Drops the handler of a registration without touching {@code epoll}: for a descriptor that is
     * about to be closed, which removes it from the {@code epoll} set by itself. Safe at any time,
     * unlike an {@code EPOLL_CTL_DEL} on a number that may already belong to another file.
     */
    public void forget(long token) {
        handlers.remove(token);
    }

    /** {@return a 64 KiB buffer that only the loop thread uses}, for reading pipes on it */
    byte[] scratch() {
        if (!inLoop()) {
            throw new IllegalStateException("the scratch buffer belongs to the loop thread");
        }
        return scratch;
    }

    /** Runs {@code action} on the loop thread after {@code delay}, unless cancelled first. */
    public Timer schedule(long delay, TimeUnit unit, Runnable action) {
        Timer timer = new Timer(this, System.nanoTime() + unit.toNanos(delay), action);
        execute(() -> {
            if (timer.action != null) {   // not cancelled on the loop thread before this ran
                timers.add(timer);
            }
        });
        return timer;
    }

    /** {@return whether {@code timer} is in the queue}; for tests, on the loop thread only */
    boolean isQueued(Timer timer) {
        if (!inLoop()) {
            throw new IllegalStateException("the timer queue belongs to the loop thread");
        }
        return timers.contains(timer);
    }

    /** {@return whether the registration {@code token} still has a handler}; for tests */
    boolean isRegistered(long token) {
        return handlers.containsKey(token);
    }

    /**
     * Runs {@code task} on the loop thread soon. Cheap: on the loop thread it only queues the task
     * (the loop drains its queue before it waits again); elsewhere it writes the eventfd only if no
     * wake-up is pending, so a burst of hand-offs costs one write until the loop drains.
     */
    public void execute(Runnable task) {
        tasks.add(task);
        if (inLoop()) {
            return;
        }
        wakeIfIdle();   // after the add: see awaitWork
        if (wakeupPending.compareAndSet(false, true)) {
            // The add above comes before this CAS; the loop clears the flag before it drains, so
            // either this CAS wins and writes, or a drain not yet begun will find the task.
            wakeups.increment();
            Libc.write(wakeupFd, ONE, Long.BYTES);
        }
    }

    /** {@return how many times {@link #execute} has written the eventfd}, for tests */
    long wakeups() {
        return wakeups.sum();
    }

    /** {@return whether the caller is the loop thread} */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(Libc.EPOLL_EVENT, BATCH);
            MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);
            boolean lingered = false;
            while (true) {
                // Tasks queued from the loop thread itself (by a timer action) must not wait for a timer.
                int timeout = tasks.isEmpty() ? millisToNextTimer() : 0;
                if (timeout < 0 && handlers.isEmpty()) {
                    if (lingered) {
                        awaitWork();
                        lingered = false;
                        continue;
                    }
                    // A registration during the linger needs no wake-up: the next look finds it.
                    timeout = LINGER_MILLIS;
                    lingered = true;
                } else {
                    lingered = false;
                }
                int ready = Libc.epoll_wait(epollFd, events, BATCH, timeout);
                for (int i = 0; i < ready; i++) {
                    MemorySegment event = events.asSlice(i * Libc.EPOLL_EVENT.byteSize(), Libc.EPOLL_EVENT);
                    long token = Libc.epoll_event_data(event);
                    if (token == WAKEUP_TOKEN) {
                        Libc.read(wakeupFd, counter, Long.BYTES);
                        continue;
                    }
                    Handler handler = handlers.get(token);
                    if (handler != null) {
                        int mask = Libc.epoll_event_events(event);
                        safely(() -> handler.ready(token, mask));
                    }
                }
                wakeupPending.set(false);
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    safely(task);
                }
                runDueTimers();
            }
        }
    }

    /** {@return whether no registration, task or timer is left}; on the loop thread */
    private boolean nothingToWatch() {
        return handlers.isEmpty() && tasks.isEmpty() && millisToNextTimer() < 0;
    }

    /**
     * Parks the loop thread until a registration or a hand-off arrives. The flag is raised before
     * the last look and those callers look at it after their put or add, so at least one of the
     * two sees the other: either the loop finds the new work, or the caller unparks it (an unpark
     * before the park makes the park return at once). Any early return only means another look.
     */
    private void awaitWork() {
        idle = true;
        if (nothingToWatch()) {
            Thread.interrupted();   // nothing interrupts this thread; a stray interrupt must not make it spin
            LockSupport.park(this);
        }
        idle = false;
    }

    private void wakeIfIdle() {
        if (idle) {
            LockSupport.unpark(thread);
        }
    }

    private int millisToNextTimer() {
        while (!timers.isEmpty() && timers.peek().action == null) {
            timers.poll();
        }
        if (!timers.isEmpty()) {
            long nanos = timers.peek().deadline - System.nanoTime();
            return nanos <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos) + 1);
        }
        return -1;
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().deadline - now <= 0) {
            Timer timer = timers.poll();
            Runnable action = timer.action;
            if (action != null) {
                timer.action = null;
                safely(action);
            }
        }
    }

    private static void safely(Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            // The logger is found here, on failure only: finding it loads the logging machinery.
            System.getLogger(EventLoop.class.getName()).log(System.Logger.Level.ERROR, "forkwise event handler failed", t);
        }
    }

    private void control(int operation, int fd, int events, long token) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(Libc.EPOLL_EVENT);
            Libc.epoll_event_events(event, events);
            Libc.epoll_event_data(event, token);
            check(Libc.epoll_ctl(epollFd, operation, fd, event), "epoll_ctl");
        }
    }

    private static int check(int result, String call) throws IOException {
        if (result < 0) {
            throw ExecFailure.setup(call + " failed", -result);
        }
        return result;
    }
}
