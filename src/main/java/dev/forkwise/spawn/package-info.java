/**
 * Starting a child with glibc {@code posix_spawn}, and the protocol that makes it race-free.
 *
 * <h2>The hazard</h2>
 *
 * Linux refuses to execute a file that any process holds open for writing ({@code ETXTBSY}). In a
 * multithreaded program, a child created by one thread inherits a copy of every descriptor of the
 * parent, including the write descriptor another thread is about to close before it executes the
 * file it wrote. {@code O_CLOEXEC} does not help: it closes the copy only in {@code execve}, and
 * {@code java.io} descriptors are not {@code O_CLOEXEC} anyway. Until the child drops its copy, the
 * writer's own exec fails.
 *
 * <h2>The mechanism</h2>
 *
 * glibc's {@code posix_spawn} creates the child with {@code clone(CLONE_VM | CLONE_VFORK)} on a
 * stack of its own and runs the file actions in native code; no Java runs in the child. The file
 * actions, in order ({@link dev.forkwise.spawn.FileActions}): {@code dup2} of the three standard
 * descriptors, {@code chdir} to the working directory, then {@code closefrom(3)}, which glibc
 * implements with {@code close_range(2)}.
 *
 * <p>The start path is one method, {@link dev.forkwise.spawn.PosixSpawn#start}: the PATH search's
 * candidates ({@link dev.forkwise.spawn.ProgramSearch}), one call each inside an in-flight ticket
 * ({@link dev.forkwise.spawn.SpawnCall}), {@code /bin/sh} for {@code ENOEXEC}, the {@code ETXTBSY}
 * grace period and backoff, then the error {@code ProcessBuilder} reports. Everything it allocates
 * lives in one confined arena; every descriptor it creates is closed on every path that does not
 * hand it to the caller ({@link dev.forkwise.spawn.ChildDescriptors}).
 *
 * <h2>Invariants</h2>
 *
 * <ol>
 * <li><b>A returned spawn holds nothing.</b> When {@code posix_spawn} returns, its child holds no
 *     descriptor of the parent other than the three it was given. {@code CLONE_VFORK} suspends the
 *     caller until the child has executed or failed; the child closed every descriptor from 3 up
 *     explicitly, and a descriptor closed by {@code close_range} is released (the kernel's deferred
 *     {@code __fput}) before the child's next system call, {@code execve}. Closing by
 *     {@code O_CLOEXEC} inside {@code execve} would not do: the vfork parent is released before
 *     those descriptors are. Upheld by {@link dev.forkwise.spawn.FileActions} (closefrom is always
 *     the last action); proved by {@code OpenWriterInheritanceTest}.</li>
 * <li><b>Every spawn is registered while it is in flight.</b> A spawn enters
 *     {@link dev.forkwise.spawn.InFlightSpawns} before it calls {@code posix_spawn} and leaves
 *     after the call returns. By invariant 1, a child of this library can hold a stranger's
 *     descriptor only while its spawn is registered.</li>
 * <li><b>{@code ETXTBSY} waits for a grace period, never for a lock.</b> When an exec fails with
 *     {@code ETXTBSY}, the spawner waits until every spawn that was in flight at that moment has
 *     left the registry, then retries once. By invariants 1 and 2 no child of this library can
 *     still hold the file. If the retry fails too, the writer is outside the library (another
 *     process, or {@code ProcessBuilder} or JNI in this JVM): the spawner backs off for a bounded
 *     time and then fails with an {@code IOException} that names the file. Concurrent spawns never
 *     wait for each other on the path that does not fail. Upheld by
 *     {@link dev.forkwise.spawn.BusyExecutablePolicy}; proved by {@code EtxtbsyRaceTest}, whose
 *     control run switches the retry off and observes the race.</li>
 * </ol>
 *
 * <h2>Capability</h2>
 *
 * Whether {@code posix_spawn} can be used and whether children get pidfds is decided from
 * permanent answers only: a symbol missing from a lookup that found the C library, {@code ENOSYS},
 * {@code EPERM} from a policy. A transient failure ({@code EMFILE}, {@code ENFILE},
 * {@code ENOMEM}, {@code EAGAIN}; a lookup that could not load its library) fails the start that
 * met it with an {@code IOException} and decides nothing; the next start asks again. Upheld by
 * {@link dev.forkwise.spawn.SpawnSupport}, {@link dev.forkwise.spawn.Pidfds} and
 * {@code Libc.ensureCLibraryFound}; proved by {@code FirstStartUnderExhaustionTest}.
 *
 * <h2>Observability</h2>
 *
 * A start records JFR events ({@link dev.forkwise.spawn.ProcessStart},
 * {@link dev.forkwise.spawn.ProcessStartFailed}, {@link dev.forkwise.spawn.BusyExecutableRetry})
 * through a {@link dev.forkwise.spawn.SpawnRecord}, which names no {@code jdk.jfr} class until
 * {@link dev.forkwise.spawn.Recorder} says the recorder has started; every other package of the
 * module that records an event asks the same {@code Recorder} first.
 *
 * <h2>Rejected designs</h2>
 *
 * {@code fork()} with Java code in the child hangs children on JVM-internal locks; a global spawn
 * lock serialises every start behind the previous child's {@code execve}; a status pipe above the
 * highest descriptor reaches end-of-file before lower descriptors are released. The measurements
 * are in {@code docs/design.md}.
 */
package dev.forkwise.spawn;
