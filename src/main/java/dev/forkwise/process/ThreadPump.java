package dev.forkwise.process;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link OutputPump} of a {@code ProcessBuilder} process, where forkwise delegates: a virtual
 * thread reads the JDK's blocking stream (there is no event loop to read it on), keeping what it
 * reads until a sink is attached and waiting for a slow sink before it reads on. The output ends
 * when the JDK's stream does.
 */
final class ThreadPump implements OutputPump {

    private final InputStream in;
    private final ReentrantLock delivery = new ReentrantLock();
    /** Guarded by delivery. */
    private final ArrayDeque<byte[]> kept = new ArrayDeque<>();
    /** Guarded by delivery: once per pump, even after the sink was told the end. */
    private boolean attached;
    /** Guarded by delivery: until it is told the end. */
    private Sink sink;
    /** Guarded by delivery: null while reading, END at the end, or the failure. */
    private Object outcome;

    private static final Object END = new Object();

    ThreadPump(InputStream in) {
        this.in = in;
    }

    void start() {
        Thread.ofVirtual().name("forkwise-stream-pump").start(this::run);
    }

    /** Attaches {@code sink}; what was kept is delivered on a virtual thread, never the caller's. */
    @Override
    public void attach(Sink sink) {
        delivery.lock();
        try {
            if (attached) {
                throw new IllegalStateException("a sink is already attached");
            }
            attached = true;
            this.sink = sink;
        } finally {
            delivery.unlock();
        }
        Thread.ofVirtual().name("forkwise-stream-pump").start(() -> {
            delivery.lock();
            try {
                while (!kept.isEmpty()) {
                    byte[] chunk = kept.poll();
                    await(sink.take(chunk, chunk.length));
                }
                tellIfDone();
            } finally {
                delivery.unlock();
            }
        });
    }

    private void run() {
        byte[] buffer = new byte[64 * 1024];
        Object result = END;
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                deliver(buffer, n);
            }
        } catch (IOException e) {
            result = e;
        }
        delivery.lock();
        try {
            outcome = result;
            tellIfDone();
        } finally {
            delivery.unlock();
        }
    }

    private void deliver(byte[] buffer, int length) {
        delivery.lock();
        try {
            if (sink == null || !kept.isEmpty()) {   // kept chunks go first
                kept.add(Arrays.copyOf(buffer, length));
            } else {
                await(sink.take(buffer, length));
            }
        } finally {
            delivery.unlock();
        }
    }

    /** Guarded by delivery. */
    private void tellIfDone() {
        if (sink == null || outcome == null || !kept.isEmpty()) {
            return;   // the delivering thread tells once it has delivered what was kept
        }
        if (outcome == END) {
            sink.end();
        } else {
            sink.failed((IOException) outcome);
        }
        outcome = null;
        sink = null;
        kept.clear();
    }

    /** Waits until the sink wants more; a stage that failed means the same, as for a {@link LoopPump}. */
    private static void await(CompletionStage<?> more) {
        if (more != null) {
            more.toCompletableFuture().exceptionally(failure -> null).join();
        }
    }
}
