package dev.forkwise.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds any number of children until the test lets them go, so that no test depends on how long a
 * child lives. A child waits at the gate with the shell's {@code read} of one line from a FIFO that
 * the gate holds open for reading and writing (so no open of it blocks, and nobody sees end of
 * file); {@link #release(int)} writes lines, each of which lets exactly one child go, whenever that
 * child gets to its {@code read}: a child that is slow to start is let go all the same. The gate
 * costs the parent one descriptor for any number of children.
 */
public final class Gate implements AutoCloseable {

    private final Path fifo;
    private final FileChannel held;

    private Gate(Path fifo, FileChannel held) {
        this.fifo = fifo;
        this.held = held;
    }

    private static final AtomicInteger GATES = new AtomicInteger();

    /** {@return a new gate, a FIFO in {@code directory}} */
    public static Gate in(Path directory) throws IOException, InterruptedException {
        Path fifo = directory.resolve("gate-" + GATES.incrementAndGet());
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        if (mkfifo.waitFor() != 0) {
            throw new IOException("mkfifo " + fifo + " exited with " + mkfifo.exitValue());
        }
        return new Gate(fifo, FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    /**
     * {@return a command that waits at this gate, then runs {@code script} with {@code sh}}, its
     * positional parameters {@code $1}... being {@code args}.
     */
    public List<String> thenRun(String script, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "read line < \"$0\" && " + script, fifo.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** {@return the FIFO, for a child that reads its line itself ({@code read line < fifo})} */
    public Path fifo() {
        return fifo;
    }

    /** Lets {@code children} children go (those waiting now, or the next to arrive). */
    public void release(int children) throws IOException {
        ByteBuffer lines = ByteBuffer.wrap("\n".repeat(children).getBytes(StandardCharsets.US_ASCII));
        while (lines.hasRemaining()) {
            held.write(lines);
        }
    }

    @Override
    public void close() throws IOException {
        held.close();
    }
}
