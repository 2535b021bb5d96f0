package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.spawn.Descriptor;
import org.junit.jupiter.api.Test;

import static dev.forkwise.OsProbe.isOpen;
import static dev.forkwise.OsProbe.pipe;
import static org.assertj.core.api.Assertions.assertThat;

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

        for (int i = 0; i < 200 && (isOpen(in[0]) || isOpen(out[1])); i++) {
            System.gc();
            Thread.sleep(10);
        }

        assertThat(isOpen(in[0])).as("read end behind a dropped input stream").isFalse();
        assertThat(isOpen(out[1])).as("write end behind a dropped output stream").isFalse();
        Libc.close(in[1]);
        Libc.close(out[0]);
    }

    private static void createAndDrop(int readEnd, int writeEnd) {
        new ChildOutput(new Descriptor(readEnd));
        new ChildStdin(new Descriptor(writeEnd));
    }
}
