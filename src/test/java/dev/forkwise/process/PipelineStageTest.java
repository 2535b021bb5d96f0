package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.spawn.ChildStdio;
import dev.forkwise.spawn.Descriptor;
import dev.forkwise.spawn.Pidfds;
import dev.forkwise.spawn.PosixSpawn;
import dev.forkwise.spawn.ProcessGroupMode;
import dev.forkwise.spawn.SpawnRequest;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of recognising a pipeline stage by identity ({@code stdout == PIPE_TO_NEXT_CHILD}):
 * a request that says the same with an equal value of its own would get a stdout stream that
 * takes the next child's input away, and no read end to hand on. A stage is recognised by value.
 */
class PipelineStageTest {

    @Test
    void aStageIsRecognisedByItsValueNotByIdentity() throws Exception {
        ChildStdio toNextChild = new ChildStdio.Pipe(true);
        assertThat(toNextChild).isEqualTo(ChildStdio.PIPE_TO_NEXT_CHILD).isNotSameAs(ChildStdio.PIPE_TO_NEXT_CHILD);
        SpawnRequest request = new SpawnRequest(List.of("echo", "to the next child"), null, null, ChildStdio.INHERIT,
                toNextChild, ChildStdio.INHERIT, false, ProcessGroupMode.INHERIT, Pidfds.supported());
        SpawnedProcess stage = SpawnedProcess.watch(PosixSpawn.start(request), request);

        Descriptor next = stage.pipelineOutput();
        assertThat(next).as("the read end kept for the next child").isNotNull();
        try (Arena arena = Arena.ofConfined()) {
            assertThat(stage.getInputStream().read()).as("the stage's own stdout, a null stream").isEqualTo(-1);
            MemorySegment buffer = arena.allocate(64);
            long n = Libc.read(next.fd(), buffer, 64);
            assertThat(new String(buffer.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8))
                    .isEqualTo("to the next child\n");
        } finally {
            next.close();
        }
        assertThat(stage.waitFor()).isZero();
    }
}
