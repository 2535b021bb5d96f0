package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.Descriptor;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;

/**
 * The {@link OutputPump} of a child forkwise spawned: reads its pipe on the {@link EventLoop}, with
 * non-blocking reads and no thread of its own. As with {@code ProcessBuilder}'s streams, the output
 * ends when the child closes it, or when the child has exited and the pipe is drained (a
 * grandchild that still holds the pipe does not keep it open).
 *
 * <p>Every field is touched on the loop thread only; other threads hand work over with
 * {@link EventLoop#execute}.
 */
final class LoopPump implements OutputPump {

    private final EventLoop loop = EventLoop.instanceUnchecked();
    private final Descriptor fd;
    private final OneShotWatch readable;
    /** What owns the descriptor, kept reachable while this pump reads: its cleaner would close the descriptor. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Object owner;
    private final ArrayDeque<byte[]> kept = new ArrayDeque<>();
    private Sink sink;
    private boolean exited;
    private boolean paused;
    private boolean atEnd;
    /** No more reading: the pipe ended or failed and is closed; what is kept still goes to the sink. */
    private boolean drained;
    private IOException failure;
    private boolean told;

    LoopPump(Descriptor fd, Object owner) {
        this.fd = fd;
        this.owner = owner;
        this.readable = fd == null ? null : new OneShotWatch(fd, forkwise_h.EPOLLIN(), (token, events) -> pump());
    }

    /** {@return a pump with nothing left to read}: the child exited and its pipe was drained into {@code rest} already. */
    static LoopPump ofRemainder(byte[] rest) {
        LoopPump pump = new LoopPump(null, null);
        if (rest.length > 0) {
            pump.kept.add(rest);
        }
        pump.drained = true;
        return pump;
    }

    /** Starts reading, keeping what it reads until {@link #attach}. Not for a pump {@link #ofRemainder}. */
    void start() {
        loop.execute(this::pump);
    }

    @Override
    public void attach(Sink sink) {
        loop.execute(() -> {
            if (this.sink != null) {
                throw new IllegalStateException("a sink is already attached");
            }
            this.sink = sink;
            pump();
        });
    }

    /** The child has exited: read what is left in the pipe, then end. */
    void processExited() {
        loop.execute(() -> {
            exited = true;
            pump();
        });
    }

    private void pump() {
        while (!paused) {
            if (sink != null && !kept.isEmpty()) {
                byte[] chunk = kept.poll();
                deliver(chunk, chunk.length);
            } else if (drained) {
                tellSink();
                return;
            } else if (atEnd) {
                drain(null);
            } else if (!read()) {
                return;   // waiting for the pipe
            }
        }
    }

    /** Reads once; {@return false} if the pipe is empty and this pump now waits for it}. */
    private boolean read() {
        byte[] scratch = loop.scratch();
        long n;
        try {
            fd.acquire();
        } catch (IOException closed) {
            drain(closed);
            return true;
        }
        try {
            n = Libc.readNonBlocking(fd.fd(), scratch, 0, scratch.length);
        } finally {
            fd.release();
        }
        if (n > 0) {
            if (sink == null) {
                kept.add(Arrays.copyOf(scratch, (int) n));
            } else {
                deliver(scratch, (int) n);
            }
        } else if (n == 0) {
            atEnd = true;
        } else if (n == -forkwise_h.EAGAIN()) {
            if (exited) {
                atEnd = true;   // drained after the exit: what a grandchild writes later is not waited for
            } else {
                return arm();
            }
        } else if (n != -forkwise_h.EINTR()) {
            drain(new IOException(forkwise_h.strerror((int) -n).getString(0)));
        }
        return true;
    }

    private void deliver(byte[] bytes, int length) {
        CompletionStage<?> more = sink.take(bytes, length);
        if (more != null && !more.toCompletableFuture().isDone()) {
            paused = true;
            more.whenComplete((ignored, failure) -> loop.execute(() -> {
                paused = false;
                pump();
            }));
        }
    }

    /** Waits for the pipe to be readable; {@return false}, or true if that failed and the pump ended. */
    private boolean arm() {
        try {
            readable.arm();
            return false;
        } catch (IOException e) {
            drain(e);
            return true;
        }
    }

    /** Stops reading and gives the descriptor back; {@code failed} is why, or null at the end of the output. */
    private void drain(IOException failed) {
        drained = true;
        failure = failed;
        readable.forget();
        fd.close();
    }

    private void tellSink() {
        if (sink != null && !told) {
            told = true;
            if (failure == null) {
                sink.end();
            } else {
                sink.failed(failure);
            }
        }
    }
}
