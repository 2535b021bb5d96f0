package dev.forkwise.process;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The {@link ProcessHandle} of a forkwise child. Its liveness, exit and signals go through the
 * owning {@link SpawnedProcess}, so they stay correct after the child has been reaped and its pid
 * reused; the process tree and {@link #info()} come from the JDK's handle for the pid while the
 * child is alive.
 *
 * <p>It is equal to any {@code ProcessHandle} with its pid, and hashes as the JDK's handles do
 * ({@code Long.hashCode(pid)}), so a list or set of the JDK's handles, such as
 * {@code ProcessHandle.current().children()}, contains it. The converse cannot hold: the JDK's
 * handle is equal only to handles of its own class, and this one cannot be one, because the JDK's
 * signals by pid and so could reach a process that reused the pid after the child was reaped.
 */
final class ChildHandle implements ProcessHandle {

    private final SpawnedProcess process;

    ChildHandle(SpawnedProcess process) {
        this.process = process;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public Optional<ProcessHandle> parent() {
        return process.isAlive() ? Optional.of(ProcessHandle.current()) : Optional.empty();
    }

    @Override
    public Stream<ProcessHandle> children() {
        return live().map(ProcessHandle::children).orElseGet(Stream::empty);
    }

    @Override
    public Stream<ProcessHandle> descendants() {
        return live().map(ProcessHandle::descendants).orElseGet(Stream::empty);
    }

    @Override
    public Info info() {
        return live().map(ProcessHandle::info).orElse(NO_INFO);
    }

    @Override
    public CompletableFuture<ProcessHandle> onExit() {
        return process.onHandleExit();
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public boolean destroy() {
        return process.signal(false);
    }

    @Override
    public boolean destroyForcibly() {
        return process.signal(true);
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public int compareTo(ProcessHandle other) {
        return Long.compare(pid(), other.pid());
    }

    /** {@return whether {@code other} is a {@code ProcessHandle} for the same pid} */
    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof ProcessHandle handle && handle.pid() == pid();
    }

    /** {@return the hash of the pid, as the JDK's handles hash} */
    @Override
    public int hashCode() {
        return Long.hashCode(pid());
    }

    @Override
    public String toString() {
        return Long.toString(pid());
    }

    /** The JDK's handle for the pid, only while the child is unreaped and so still owns it. */
    private Optional<ProcessHandle> live() {
        return process.isAlive() ? ProcessHandle.of(pid()) : Optional.empty();
    }

    private static final Info NO_INFO = new Info() {
        @Override
        public Optional<String> command() {
            return Optional.empty();
        }

        @Override
        public Optional<String> commandLine() {
            return Optional.empty();
        }

        @Override
        public Optional<String[]> arguments() {
            return Optional.empty();
        }

        @Override
        public Optional<Instant> startInstant() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> totalCpuDuration() {
            return Optional.empty();
        }

        @Override
        public Optional<String> user() {
            return Optional.empty();
        }
    };
}
