package dev.forkwise;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hazard of a command the kernel refuses as too long ({@code E2BIG}): one argument over its
 * 128 KiB limit, or arguments and environment together over {@code ARG_MAX}. The start must fail
 * with {@code ProcessBuilder}'s exception and wording (error 7), leave no descriptor, thread or
 * zombie behind, and the next start must work.
 */
@Tag("parity")
class ArgumentListTooLongTest {

    private static final int ONE_ARGUMENT_TOO_LONG = 200 * 1024;

    @ParameterizedTest
    @ValueSource(strings = {"one argument over 128 KiB", "arguments over ARG_MAX", "environment over ARG_MAX"})
    void aCommandTooLongFailsAsProcessBuilderDoesAndLeavesNothing(String shape) throws Exception {
        Spawner.start(new ProcessBuilder("true")).waitFor();   // the watcher and cleaner exist from here on
        long descriptors = OsProbe.openDescriptors();
        int threads = OsProbe.platformThreads();

        String jdk = failure(() -> tooLong(shape).start());
        String forkwise = failure(() -> Spawner.start(tooLong(shape)));

        assertThat(jdk).as("ProcessBuilder's error").containsPattern("error[:=] ?7\\b");
        assertThat(forkwise).isEqualTo(jdk);
        assertThat(OsProbe.zombieChildren()).isEmpty();
        // A failed start closes what it opened before it throws; fewer is the JDK closing its own.
        assertThat(OsProbe.openDescriptors()).as("descriptors after the failed starts").isLessThanOrEqualTo(descriptors);
        assertThat(OsProbe.platformThreads()).as("platform threads").isLessThanOrEqualTo(threads + 1);   // ProcessBuilder's reaper
        assertThat(Spawner.start(new ProcessBuilder("true")).waitFor()).as("the next start").isZero();
    }

    private static ProcessBuilder tooLong(String shape) {
        List<String> command = new ArrayList<>(List.of("true"));
        ProcessBuilder builder = new ProcessBuilder(command);
        String hundredKiB = "x".repeat(100 * 1024);
        switch (shape) {
            case "one argument over 128 KiB" -> builder.command().add("x".repeat(ONE_ARGUMENT_TOO_LONG));
            case "arguments over ARG_MAX" -> builder.command().addAll(Collections.nCopies(64, hundredKiB));   // 6.4 MiB
            default -> {
                for (int i = 0; i < 64; i++) {
                    builder.environment().put("FORKWISE_TOO_LONG_" + i, hundredKiB);
                }
            }
        }
        return builder;
    }

    private interface Start {
        Process start() throws IOException;
    }

    private static String failure(Start start) {
        return assertThatThrownBy(start::start).isInstanceOf(IOException.class).actual().getMessage();
    }
}
