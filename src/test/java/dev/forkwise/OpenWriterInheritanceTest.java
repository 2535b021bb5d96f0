package dev.forkwise;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariant 1 of the spawn package essay, tested directly: when {@code Spawner.start} returns, the
 * child holds no descriptor of the parent but 0, 1 and 2, even one another thread had open for
 * writing (and not close-on-exec) while the child was being created.
 */
class OpenWriterInheritanceTest {

    @Test
    void aWriterClosedAfterStartReturnsIsHeldByNoProcessWhileTheChildRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tool");
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch closeNow = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (FileOutputStream out = new FileOutputStream(file.toFile())) {
                out.write("#!/bin/sh\n".getBytes());
                opened.countDown();
                closeNow.await();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        opened.await();
        assertThat(OsProbe.hasWriter(file)).as("the probe sees the open writer (control)").isTrue();

        Process child = Spawner.start(new ProcessBuilder("cat"));   // runs until destroyed
        try {
            closeNow.countDown();
            writer.join();

            assertThat(child.isAlive()).isTrue();
            assertThat(OsProbe.hasWriter(file)).as("a writer remains after the only one closed").isFalse();
        } finally {
            child.destroyForcibly().waitFor();
        }
    }
}
