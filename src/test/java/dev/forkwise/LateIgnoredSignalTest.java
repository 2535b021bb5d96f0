package dev.forkwise;

import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.bindings.sigaction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hazard of a signal disposition decided once: an application that ignores {@code SIGHUP}
 * after its first start ({@code nohup} style) must see later children ignore it too, as
 * {@code ProcessBuilder}'s do; and the hazard of passing on every ignored signal: a parent that
 * ignores {@code SIGPIPE} must not make its children ignore it, because {@code ProcessBuilder}
 * resets it (JDK-8364611), so that a child writing to a closed pipe dies as it would from a shell.
 * Changing a disposition is process-wide, so the case runs in a child JVM, which starts a child,
 * ignores {@code SIGHUP}, {@code SIGPIPE} and {@code SIGXFSZ}, and reports what a child of each
 * starter ignores.
 */
@Tag("parity")
class LateIgnoredSignalTest {

    private static final long SIGHUP_BIT = 1L << (1 - 1);
    private static final long SIGPIPE_BIT = 1L << (13 - 1);

    @Test
    void aSignalIgnoredAfterTheFirstStartStaysIgnoredInLaterChildren() throws Exception {
        ProcessBuilder probe = new ProcessBuilder(OsProbe.javaCommand(Probe.class)).redirectErrorStream(true);
        Process jvm = Spawner.start(probe);
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(jvm.exitValue()).as(output).isZero();
        List<String> lines = output.lines().filter(line -> line.contains("SigIgn:")).toList();
        assertThat(lines).as(output).hasSize(3);
        long before = ignored(lines.get(0));
        long jdk = ignored(lines.get(1));
        long forkwise = ignored(lines.get(2));
        assertThat(before & SIGHUP_BIT).as("SIGHUP ignored before").isZero();
        assertThat(jdk & SIGHUP_BIT).as("SIGHUP ignored by ProcessBuilder's child").isEqualTo(SIGHUP_BIT);
        assertThat(jdk & SIGPIPE_BIT).as("SIGPIPE ignored by ProcessBuilder's child").isZero();
        assertThat(Long.toHexString(forkwise)).isEqualTo(Long.toHexString(jdk));
    }

    private static long ignored(String line) {
        return Long.parseUnsignedLong(line.substring(line.indexOf('\t') + 1).strip(), 16);
    }

    /** The child JVM: one forkwise start, then three signals ignored, then one start with each starter. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            // this JVM may have been started with SIGHUP ignored (under nohup): start from the default
            dispose(1, forkwise_h.SIG_DFL());
            System.out.println("before: " + sigIgn(Spawner.start(status())));
            dispose(1, forkwise_h.SIG_IGN());    // SIGHUP
            dispose(13, forkwise_h.SIG_IGN());   // SIGPIPE
            dispose(25, forkwise_h.SIG_IGN());   // SIGXFSZ
            System.out.println("ProcessBuilder: " + sigIgn(status().start()));
            System.out.println("forkwise: " + sigIgn(Spawner.start(status())));
        }

        /**
         * Sets {@code signal}'s disposition with {@code sigaction}: {@code SIG_IGN} as {@code nohup}
         * does with {@code SIGHUP}, or {@code SIG_DFL}.
         */
        private static void dispose(int signal, MemorySegment disposition) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment action = sigaction.allocate(arena);
                sigaction.__sigaction_handler.sa_handler(sigaction.__sigaction_handler(action), disposition);
                if (forkwise_h.sigaction(signal, action, MemorySegment.NULL) != 0) {
                    throw new IllegalStateException("sigaction(" + signal + ") failed");
                }
            }
        }

        private static ProcessBuilder status() {
            return new ProcessBuilder("grep", "SigIgn:", "/proc/self/status");
        }

        private static String sigIgn(Process process) throws Exception {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor();
            return out;
        }
    }
}
