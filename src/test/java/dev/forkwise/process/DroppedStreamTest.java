package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.spawn.Descriptor;
import dev.forkwise.support.Await;
import org.junit.jupiter.api.Test;

import static dev.forkwise.OsProbe.isOpen;
import static dev.forkwise.OsProbe.pipe;

/**
 * The hazard of a {@code Process} dropped with its streams open: without a cleaner its pipe
 * descriptors would stay open until the JVM exits.
 */
class DroppedStreamTest {

    @Test
    void theDescriptorsOfUnreachableStreamsAreClosed() throws Exception {
        int[] in = pipe();
        int[] out = pipe();
        createAndDrop(in[0], out[1]);

        Await.until("both descriptors closed after collections (read end, write end open)", () -> {
            System.gc();
            return isOpen(in[0]) + ", " + isOpen(out[1]);
        }, open -> open.equals("false, false"));
        Libc.close(in[1]);
        Libc.close(out[0]);
    }

    private static void createAndDrop(int readEnd, int writeEnd) {
        new ChildOutput(new Descriptor(readEnd));
        new ChildStdin(new Descriptor(writeEnd));
    }
}
