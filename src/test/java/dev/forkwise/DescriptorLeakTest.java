package dev.forkwise;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starts, successful or not, leave no descriptor behind in the parent and hand none to the child. */
class DescriptorLeakTest {

    @Test
    void theChildSeesOnlyItsThreeStandardDescriptors(@TempDir Path dir) throws Exception {
        // Descriptors java.io opens are not close-on-exec: the child would inherit them without closefrom.
        List<FileInputStream> open = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path file = Files.writeString(dir.resolve("f" + i), "x");
            open.add(new FileInputStream(file.toFile()));
        }
        try {
            Process ls = Spawner.start(new ProcessBuilder("ls", "-1", "/proc/self/fd"));
            String listing = new String(ls.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(ls.waitFor()).isZero();
            // 3 is the directory ls opened to list itself
            assertThat(Arrays.asList(listing.trim().split("\n"))).containsExactly("0", "1", "2", "3");
        } finally {
            for (FileInputStream in : open) {
                in.close();
            }
        }
    }

    @Test
    void aThousandStartsSuccessfulOrNotLeaveNoDescriptorAndNoZombie(@TempDir Path dir) throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("data"), "not a program");
        File output = dir.resolve("out").toFile();
        // Warm up: the first start initialises classes and reaper threads, which open descriptors of their own.
        Spawner.start(new ProcessBuilder("true").inheritIO()).waitFor();
        long before = OsProbe.openDescriptors();

        int failures = 0;
        for (int i = 0; i < 1000; i++) {
            ProcessBuilder builder = switch (i % 5) {
                case 0 -> new ProcessBuilder("true");
                case 1 -> new ProcessBuilder("sh", "-c", "echo out; echo err >&2; cat").redirectOutput(output);
                case 2 -> new ProcessBuilder("forkwise-no-such-program");
                case 3 -> new ProcessBuilder(notExecutable.toString());
                default -> new ProcessBuilder("true").directory(dir.resolve("missing").toFile());
            };
            try {
                Process process = Spawner.start(builder);
                process.getOutputStream().close();
                assertThat(process.waitFor()).isZero();
            } catch (IOException expected) {
                failures++;
            }
        }

        assertThat(failures).isEqualTo(600);
        OsProbe.awaitOpenDescriptors("after 1,000 starts", before);
        assertThat(OsProbe.zombieChildren()).as("zombie children").isEmpty();
    }

    @Test
    void aMissingRedirectFileLeavesNothingOpen(@TempDir Path dir) throws Exception {
        Spawner.start(new ProcessBuilder("true").inheritIO()).waitFor();
        long before = OsProbe.openDescriptors();
        ProcessBuilder builder = new ProcessBuilder("cat")
                .redirectError(Redirect.PIPE)
                .redirectOutput(dir.resolve("out").toFile())
                .redirectInput(dir.resolve("missing").toFile());

        assertThatThrownBy(() -> Spawner.start(builder)).isInstanceOf(IOException.class);
        OsProbe.awaitOpenDescriptors("after a failed start", before);
    }
}
