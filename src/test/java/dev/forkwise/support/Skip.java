package dev.forkwise.support;

import org.junit.jupiter.api.Assumptions;

/**
 * Skipping a test that cannot run here, saying why where it shows: Maven's console lists a skipped
 * test only as a count, so the reason is printed as well as given to the assumption.
 */
public final class Skip {

    private Skip() {
    }

    /** Skips the calling test, printing and reporting {@code reason}, unless {@code condition} holds. */
    public static void unless(boolean condition, String reason) {
        if (!condition) {
            String test = StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()
                    .map(frame -> frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1)
                            + "." + frame.getMethodName())
                    .orElse("a test"));
            System.out.println("SKIPPED " + test + ": " + reason);
        }
        Assumptions.assumeTrue(condition, reason);
    }
}
