package dev.forkwise.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for a state that has no event to wait on (a zombie reaped by init, a descriptor count
 * settling after a collection, a thread that has blocked): poll, with a deadline generous enough
 * for a slow machine, and fail saying what never happened and what was seen last. A test never
 * asserts after a fixed sleep.
 */
public final class Await {

    /** How long any state may take; reaching it takes milliseconds, so only a real failure waits this long. */
    public static final Duration DEADLINE = Duration.ofSeconds(60);

    private Await() {
    }

    /**
     * {@return the first value of {@code probe} that is {@code done}}, polled every 10 ms.
     *
     * @throws AssertionError if none is within {@link #DEADLINE}
     */
    public static <T> T until(String what, Supplier<T> probe, Predicate<? super T> done) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not so within " + DEADLINE.toSeconds() + " s; last seen: " + value);
            }
            Thread.sleep(10);
            value = probe.get();
        }
        return value;
    }

    /** Waits until {@code condition} holds. @throws AssertionError if it does not within {@link #DEADLINE} */
    public static void until(String what, Supplier<Boolean> condition) throws InterruptedException {
        until(what, condition, Boolean::booleanValue);
    }

    /**
     * Waits until {@code thread} is blocked in a method named {@code method} (of any class): parked
     * or waiting (how a virtual thread waits), or, RUNNABLE to the JVM, in a native method (how the
     * JDK's reads wait) or in forkwise's binding of {@code poll(2)} (how forkwise blocks a platform
     * thread).
     */
    public static void blockedIn(Thread thread, String method) throws InterruptedException {
        until(thread + " blocked in " + method + "()", () -> describe(thread, method), state -> state.startsWith("blocked"));
    }

    private static final Set<Thread.State> WAITING = Set.of(Thread.State.WAITING, Thread.State.TIMED_WAITING);

    private static String describe(Thread thread, String method) {
        Thread.State state = thread.getState();
        StackTraceElement[] stack = thread.getStackTrace();
        boolean inMethod = Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().equals(method));
        boolean blocked = inMethod && (WAITING.contains(state)
                || state == Thread.State.RUNNABLE && (stack[0].isNativeMethod() || inPoll(stack)));
        return (blocked ? "blocked " : "not blocked ") + state + " at " + (stack.length > 0 ? stack[0] : "(no frame)");
    }

    /**
     * forkwise blocks a platform thread in {@code poll(2)}, called through {@code java.lang.foreign}:
     * its top Java frame is the binding's, {@code Libc.poll} (the second, should the binding call through a helper).
     */
    private static boolean inPoll(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(2, stack.length); i++) {
            if (stack[i].getClassName().equals("dev.forkwise.bindings.Libc") && stack[i].getMethodName().equals("poll")) {
                return true;
            }
        }
        return false;
    }
}
