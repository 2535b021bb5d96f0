package dev.forkwise;

import dev.forkwise.spawn.SpawnSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs only in the {@code fallback} surefire execution, where {@code -Ddev.forkwise.forceFallback=true}
 * makes forkwise delegate: the side-by-side tests run there too and must still pass.
 */
@Tag("fallback")
class FallbackTest {

    @Test
    void theForcedFallbackIsReportedAndDelegatesToProcessBuilder() throws Exception {
        assertThat(Spawner.mechanism().launch()).isEqualTo(Mechanism.Launch.PROCESS_BUILDER);
        assertThat(Spawner.mechanism().fallbackReason())
                .contains("forced by -D" + SpawnSupport.FORCE_FALLBACK_PROPERTY + "=true");

        Process process = Spawner.start(new ProcessBuilder("true"));

        assertThat(process.getClass().getName()).isEqualTo("java.lang.ProcessImpl");
        assertThat(process.waitFor()).isZero();
    }

    @Test
    void deadlinesWorkThroughProcessBuilderToo() throws Exception {
        ChildProcess child = Spawner.start(new ProcessBuilder("sleep", "infinity"),
                SpawnOptions.defaults().withTimeout(Duration.ofMillis(200)));

        assertThat(child.waitFor()).isEqualTo(143);
        assertThat(child.timedOut()).isTrue();
    }

    @Test
    void processGroupsNeedPosixSpawn() {
        assertThatThrownBy(() -> Spawner.start(new ProcessBuilder("true"), SpawnOptions.defaults().inNewProcessGroup()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("forced by -Ddev.forkwise.forceFallback=true");
    }
}
