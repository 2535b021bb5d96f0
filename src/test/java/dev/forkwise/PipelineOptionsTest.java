package dev.forkwise;

import dev.forkwise.support.Gate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A pipeline with options: the hazards of a stage left out of the deadline, input that goes to the
 * wrong stage, and output that can only be read with a blocking stream.
 */
@Tag("watcher")
@Tag("fallback-too")
class PipelineOptionsTest {

    @TempDir
    Path dir;

    @Test
    void theFirstStageReadsTheInputAndTheLastStagesOutputIsReadAsynchronously() throws Exception {
        List<ChildProcess> stages = Spawner.startPipeline(List.of(new ProcessBuilder("sort"), new ProcessBuilder("uniq", "-c")),
                SpawnOptions.defaults().withInput("pear\napple\npear\n", StandardCharsets.UTF_8));

        String counts = stages.getLast().stdout().text(StandardCharsets.UTF_8).join();

        assertThat(counts.lines().map(String::strip).toList()).containsExactly("1 apple", "2 pear");
        for (ChildProcess stage : stages) {
            assertThat(stage.waitFor()).isZero();
        }
    }

    @Test
    void theLastStagesLinesGoToTheConsumers() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        List<ChildProcess> stages = Spawner.startPipeline(List.of(new ProcessBuilder("printf", "b\\na\\n"),
                        new ProcessBuilder("sort")),
                SpawnOptions.defaults().withOutputLines(StandardCharsets.UTF_8, lines::add, line -> { }));

        for (ChildProcess stage : stages) {
            assertThat(stage.waitFor()).isZero();
        }
        dev.forkwise.support.Await.until("both lines", () -> lines.size() == 2);
        assertThat(lines).containsExactly("a", "b");
    }

    @Test
    void theDeadlineEndsEveryStage() throws Exception {
        try (Gate gate = Gate.in(dir)) {
            List<ChildProcess> stages = Spawner.startPipeline(List.of(new ProcessBuilder(gate.thenRun("true")),
                    new ProcessBuilder(gate.thenRun("cat"))), SpawnOptions.defaults().withTimeout(Duration.ofMillis(200)));

            for (ChildProcess stage : stages) {
                assertThat(stage.waitFor()).isEqualTo(143);
                assertThat(stage.timedOut()).isTrue();
            }
        }
    }

    @Test
    void aProcessGroupIsRefusedBeforeAnythingStarts() {
        Throwable refused = catchThrowable(() -> Spawner.startPipeline(List.of(new ProcessBuilder("true"),
                new ProcessBuilder("true")), SpawnOptions.defaults().inNewProcessGroup()));

        assertThat(refused).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("the stages of a pipeline run in their parent's process group: NEW_GROUP");
        assertThat(OsProbe.zombieChildren()).isEmpty();
    }
}
