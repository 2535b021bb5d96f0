/**
 * Running children: the {@code Process} of a spawned child, exit watching, streams and output
 * pumps, and the seam that lets the API hold either kind of child.
 *
 * <h2>The seam</h2>
 *
 * {@link dev.forkwise.process.Launcher} starts a {@code ProcessBuilder}'s command as a
 * {@link dev.forkwise.process.Child}: a {@link dev.forkwise.process.SpawnedProcess} created by the
 * spawn layer's {@code posix_spawn}, or, where forkwise cannot use it, a
 * {@link dev.forkwise.process.DelegatedProcess} around {@code ProcessBuilder.start()}. Both follow
 * one claim rule for their outputs ({@link dev.forkwise.process.OutputClaims}) and one pump
 * contract ({@link dev.forkwise.process.OutputPump}, driven by the event loop or by a virtual
 * thread). Where the JDK's process cannot do what a spawned child does, {@code DelegatedProcess}
 * says so.
 *
 * <h2>Threads</h2>
 *
 * <table class="striped">
 * <caption>every thread forkwise may run</caption>
 * <tr><th>thread</th><th>kind, how many</th><th>started by</th><th>what it does</th></tr>
 * <tr><td>{@code forkwise-watcher}</td><td>platform daemon, one per JVM</td><td>the first spawn
 *     that needs it, retried until one can ({@link dev.forkwise.process.EventLoop})</td><td>waits in {@code epoll_wait} for every
 *     child's pidfd, every pumped or awaited pipe and its wake-up {@code eventfd}; reaps exited
 *     children, pumps outputs, wakes parked virtual threads, runs deadline timers. Never
 *     blocks otherwise; with nothing to watch for 10 ms it parks in Java, because a thread left
 *     in a native call holds up the JVM's exit by up to 300 ms.</td></tr>
 * <tr><td>{@code forkwise-cleaner}</td><td>platform daemon, one per JVM</td><td>the first spawn
 *     that needs it, retried until one can ({@link dev.forkwise.process.DescriptorCleaner})</td><td>closes the descriptor of a stream
 *     that became unreachable unclosed</td></tr>
 * <tr><td>{@code forkwise-reaper-N}</td><td>platform daemon, one per running child without a
 *     pidfd, reused</td><td>{@link dev.forkwise.process.ReaperThreads}</td><td>waits for one
 *     child's exit with {@code waitid(WNOWAIT)}; only before Linux 5.4, or with
 *     {@code -Ddev.forkwise.exitWatcher=threads}</td></tr>
 * <tr><td>{@code forkwise-stream-pump}</td><td>virtual, two per child whose outputs are claimed,
 *     plus one per attach</td><td>{@link dev.forkwise.process.ThreadPump}</td><td>reads a
 *     {@code ProcessBuilder} process's output; only where forkwise delegates</td></tr>
 * <tr><td>{@code forkwise-output-N}</td><td>virtual, one per callback call</td><td>the API's
 *     {@code ProcessOutput}</td><td>runs a user's chunk or line callback</td></tr>
 * <tr><td>{@code forkwise-input-PID}</td><td>virtual, one per child started with input, until
 *     it is written</td><td>the API's {@code ChildProcess}</td><td>copies
 *     {@code SpawnOptions.withInput} to the child's standard input, then closes it</td></tr>
 * <tr><td>{@code forkwise-deadline-PID}</td><td>virtual, one per child without a group of its
 *     own whose deadline passes, and one more at its grace period's end if it had descendants</td><td>the API's {@code ChildProcess}, from the deadline
 *     timer</td><td>lists the child's descendants (a walk of {@code /proc}, too slow for the
 *     watcher), then signals them and the child</td></tr>
 * <tr><td>{@code forkwise-destroy-on-exit}</td><td>platform, one per JVM, started only at
 *     shutdown</td><td>the first {@code destroyOnExit} child</td><td>the shutdown hook: sends
 *     SIGTERM to every such child still running</td></tr>
 * <tr><td>the common pool</td><td>the JDK's</td><td>{@code onExit()}, {@code ProcessOutput.bytes()}</td>
 *     <td>runs actions dependent on an exit or a collected output, never on the watcher</td></tr>
 * <tr><td>the caller's threads</td><td>any</td><td>the user</td><td>a platform thread in
 *     {@code waitFor} polls the child's pidfd itself and may reap it; a platform reader or
 *     writer polls its pipe itself; a virtual thread parks and is woken by the watcher</td></tr>
 * </table>
 *
 * Where forkwise delegates, the JDK's own "process reaper" threads run instead of the watcher,
 * and deadlines run on one {@code forkwise-deadline} platform daemon
 * ({@link dev.forkwise.process.DelegatedProcess}), started by the first deadline and gone once
 * none has been queued for a while.
 *
 * <h2>Invariants</h2>
 *
 * <ol>
 * <li><b>A child's exit is known before its streams are released.</b> Whoever reaps (the watcher,
 *     a {@code forkwise-reaper} thread, or a platform thread in {@code waitFor}) reaps and records
 *     the exit value in one step under the process's lock, and wakes every waiter, before the
 *     streams drain their pipes and give their descriptors back, as {@code ProcessBuilder}'s
 *     reaper does; exactly one of them reaps. A deadline that takes the same lock sees the exit
 *     and the reap both or neither, and, under that lock, asks whether a child not yet reaped has
 *     exited (its pidfd readable, or {@code waitid(WNOWAIT | WNOHANG)}): a child that exited by
 *     itself is never signalled nor marked timed out. Upheld by
 *     {@link dev.forkwise.process.SpawnedProcess}'s {@code exited()} and
 *     {@code terminateUnlessExited}; proved by
 *     {@code ProcessApiParityTest.outputIsReadableAfterTheChildExitedThenEndOfFile} and
 *     {@code DeadlineAtExitTest}.</li>
 * <li><b>No signal after reap.</b> Once a child has been reaped its pid may belong to another
 *     process, so nothing signals it again: a pidfd is closed by the reap and a signal must
 *     acquire it first ({@link dev.forkwise.process.PidfdReference}); without a pidfd, the reap
 *     and every signal take one lock ({@link dev.forkwise.process.PidReference}). The one
 *     deliberate exception is a process group the child led: {@code kill(-pgid)} after the reap
 *     reaches the group's surviving members, whose life keeps the id reserved (see
 *     {@code SpawnedProcess.signalGroup}). Descendants a deadline or the exit hook reaches are
 *     not ours to reap; they are signalled through {@code ProcessHandle}, which checks each one's
 *     start time first. Proved by {@code PidReuseTest} (which needs root to
 *     force a pid's reuse, and says so when skipped).</li>
 * <li><b>One epoll registration per descriptor.</b> A descriptor is added to the epoll set once
 *     ({@code EPOLL_CTL_ADD} a second time fails with {@code EEXIST}), one-shot, and re-armed
 *     with {@code EPOLL_CTL_MOD} for each later wait; it is never removed explicitly, because
 *     closing it does that, and by the time a close is known its number may name another file.
 *     Events are delivered by the registration's token, never by descriptor number, so an event
 *     for a forgotten registration reaches no one. Whoever closes a registered descriptor forgets
 *     its handler, the {@link dev.forkwise.process.DescriptorCleaner} included: it closes a dropped
 *     stream through its pipe, never the bare descriptor. Upheld by
 *     {@link dev.forkwise.process.OneShotWatch} and {@link dev.forkwise.process.PidfdWatcher};
 *     proved by {@code OneRegistrationPerDescriptorTest} and {@code CleanedStreamRegistrationTest}.</li>
 * <li><b>Loop confinement.</b> A {@link dev.forkwise.process.LoopPump}'s state, the timer queue
 *     and the 64 KiB read buffer are touched on the watcher thread only; other threads hand work
 *     over with {@code EventLoop.execute}, and handlers never block. Upheld by
 *     {@link dev.forkwise.process.EventLoop}; exercised by
 *     {@code AsyncCaptureTest} and {@code ThreadPerChildTest}.</li>
 * <li><b>A cancelled deadline holds nothing.</b> Its timer drops its action and leaves the queue
 *     at once, on either kind of child, so a child whose deadline its exit cancelled becomes
 *     unreachable with its streams, however far off the deadline was. Upheld by
 *     {@code EventLoop.Timer.cancel} and {@link dev.forkwise.process.DelegatedProcess}'s
 *     scheduler (remove on cancel); proved by {@code CancelledTimerTest} and
 *     {@code CancelledDeadlineTest}.</li>
 * <li><b>No lost wake-up.</b> A task handed over from another thread is queued before the
 *     hand-off looks at the pending-wake-up flag, and the watcher clears that flag before it
 *     drains the queue; so either the hand-off writes the eventfd or a drain not yet begun finds
 *     the task. Hand-offs from the watcher thread itself never write, and the watcher does not
 *     block while its queue is not empty. One eventfd write per burst, not per task. The same
 *     holds for a watcher parked with nothing to watch: it raises its idle flag before its last
 *     look at the registrations and the queue, and a registration or hand-off looks at the flag
 *     after its put or add, so either the watcher sees the work or the caller unparks it. Upheld
 *     by {@link dev.forkwise.process.EventLoop}; proved by {@code CoalescedWakeupTest} and
 *     {@code WatcherLeftInNativeCallTest}.</li>
 * <li><b>One claim rule.</b> An output passes from its stream to a pump at most once, and not
 *     after the stream was used; the first claim takes the other unused output along. Upheld by
 *     {@link dev.forkwise.process.OutputClaims}, and a hand-over never waits for a reader of
 *     either stream ({@link dev.forkwise.process.ChildOutput}'s owner word); proved, in both
 *     modes, by {@code OutputClaimTest}.</li>
 * <li><b>A failed start leaves nothing, and forkwise's own machinery is retried, never
 *     remembered as failed.</b> The watcher, the cleaner and a reaper thread are created after
 *     the spawn, by the first start that needs each, and a start that cannot create one (no
 *     descriptor, memory or thread) fails with an {@code IOException}, never an {@code Error}:
 *     the child is killed and reaped and its descriptors are closed, a half-made event loop closes
 *     what it opened, and the next start tries again. What was created stays: the watcher and
 *     the cleaner live as long as the JVM. Upheld by {@link dev.forkwise.process.EventLoop#instance()},
 *     {@link dev.forkwise.process.DescriptorCleaner}, {@link dev.forkwise.process.InfrastructureThreads}
 *     and {@code SpawnedProcess.watch}; proved by {@code FirstStartUnderExhaustionTest}.</li>
 * </ol>
 *
 * A descriptor closes exactly once and never while a system call uses it: the spawn layer's
 * {@code Descriptor}, proved by {@code DescriptorCloseOnceTest}.
 *
 * <p>Whoever reaps a child commits its {@link dev.forkwise.process.ProcessExit} event (through its
 * {@link dev.forkwise.process.ExitRecord}) after the reap's lock is released and before
 * {@code onExit()} completes; a deadline's signals are recorded through
 * {@link dev.forkwise.process.DeadlineRecord}. Both ask the spawn layer's {@code Recorder} before
 * they name an event class, so no JFR machinery loads until JFR's recorder has started.
 *
 * <h2>States</h2>
 *
 * <table class="striped">
 * <caption>{@link dev.forkwise.process.ChildOutput}: a child's stdout or stderr stream</caption>
 * <tr><th>state</th><th>fields</th><th>a read</th><th>a claim</th><th>the exit hook</th></tr>
 * <tr><td>fresh</td><td>source = pipe, owner = UNCLAIMED</td><td>owner = USED, reads the pipe:
 *     in use</td><td>owner = HANDED_OVER, starts a {@code LoopPump}: handed over</td><td>drains
 *     the pipe into memory and closes it: released</td></tr>
 * <tr><td>in use</td><td>source = pipe, owner = USED</td><td>reads the pipe</td><td>refused, at
 *     once</td><td>as fresh, unless a reader holds the stream: it releases the pipe itself at end
 *     of file</td></tr>
 * <tr><td>handed over</td><td>owner = HANDED_OVER, pump</td><td>{@code IOException}</td><td>the
 *     same pump</td><td>tells the pump, which drains and ends</td></tr>
 * <tr><td>released</td><td>source = what was left (bytes, or a null stream)</td><td>reads what was
 *     left</td><td>a pump over what was left, unless used</td><td>done</td></tr>
 * <tr><td>closing</td><td>closed, closePending (set by {@code destroy()} while a reader holds the
 *     stream)</td><td>the read in progress goes on until the pipe has data ({@code IOException:
 *     Stream closed}) or end of file (-1); later reads: {@code IOException: Stream closed}</td><td>refused</td><td>nothing: whoever holds the
 *     lock last closes the pipe as it unlocks: closed</td></tr>
 * <tr><td>closed</td><td>closed</td><td>{@code IOException: Stream closed}</td><td>refused</td>
 *     <td>nothing</td></tr>
 * </table>
 *
 * {@code destroy()} closes an output as the JDK's stream closes on Linux: a blocked read keeps
 * the pipe open, so a child writing while it handles {@code SIGTERM} is read rather than killed
 * by {@code SIGPIPE}, and a read ending at end of file returns -1. An explicit {@code close()}
 * from another thread wakes the reader at once instead, with "Stream closed".
 *
 * <table class="striped">
 * <caption>{@link dev.forkwise.process.Readiness}: one wait for a non-blocking pipe</caption>
 * <tr><th>step</th><th>waiter (a virtual thread)</th><th>watcher thread</th></tr>
 * <tr><td>1</td><td>{@code ready = false}, {@code waiter = self}, arms the one-shot watch</td><td></td></tr>
 * <tr><td>2</td><td>parks while {@code !ready} and the descriptor is open</td><td>the event comes:
 *     {@code ready = true}, unparks {@code waiter}</td></tr>
 * <tr><td>3</td><td>returns, and retries its read or write; {@code waiter = null}</td><td></td></tr>
 * </table>
 *
 * A close sets {@code ready} and unparks as the event would; the waiter then sees the closed
 * descriptor and fails with "Stream closed". A platform thread skips all of this and waits in
 * {@code poll(2)} on the descriptor itself, in slices, so a close ends its wait within one slice.
 *
 * <h2>Locks</h2>
 *
 * Locks that a thread may hold while it waits (a stream's read lock, a process's exit lock) are
 * {@code ReentrantLock}s, never {@code synchronized}, so a waiting virtual thread does not pin its
 * carrier on JDK 22 and 23. {@code synchronized} guards only a few fields that no one holds
 * across a wait.
 */
package dev.forkwise.process;
