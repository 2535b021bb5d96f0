package dev.forkwise;

import dev.forkwise.spawn.SpawnSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
}
