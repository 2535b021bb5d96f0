package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.spawn.Descriptor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static dev.forkwise.OsProbe.isOpen;
import static dev.forkwise.OsProbe.pipe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of the exit hook's drain costing a start more than its work: it ran for stdout and
 * stderr of every child, and made an 8 KiB chunk and a growing buffer even for an empty pipe,
 * which is what most children leave. An empty pipe must cost no chunk; bytes still in the pipe
 * must still reach the reader, and the descriptor must be given back either way.
 */
class ExitDrainAllocationTest {

    /** The drain's chunk: an exit that allocates less than this made none. */
    private static final long CHUNK = 8192;

    @Test
    void anExitWithAnEmptyPipeAllocatesNoDrainChunk() throws Exception {
        DescriptorCleaner.start();   // a start does this before it makes streams; run alone, no start came first
        exitWithEmptyPipe();   // the first one loads and links what an exit needs

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int[] ends = pipe();
        ChildOutput output = new ChildOutput(new Descriptor(ends[0]));
        long before = threads.getCurrentThreadAllocatedBytes();
        output.processExited();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated by the exit of a child that wrote nothing").isLessThan(CHUNK);
        assertThat(isOpen(ends[0])).as("read end open after the exit").isFalse();
        assertThat(output.read()).as("first read after the exit").isEqualTo(-1);
        Libc.close(ends[1]);
    }

    @Test
    void bytesLeftInThePipeAtExitAreStillRead() throws Exception {
        DescriptorCleaner.start();
        int[] ends = pipe();
        ChildOutput output = new ChildOutput(new Descriptor(ends[0]));
        byte[] written = "left in the pipe".getBytes(StandardCharsets.US_ASCII);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocateFrom(ValueLayout.JAVA_BYTE, written);
            assertThat(Libc.write(ends[1], bytes, written.length)).isEqualTo(written.length);
        }
        output.processExited();

        assertThat(isOpen(ends[0])).as("read end open after the exit").isFalse();
        assertThat(new String(output.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("left in the pipe");
        Libc.close(ends[1]);
    }

    private static void exitWithEmptyPipe() throws Exception {
        int[] ends = pipe();
        ChildOutput output = new ChildOutput(new Descriptor(ends[0]));
        output.processExited();
        output.close();
        Libc.close(ends[1]);
    }
}
