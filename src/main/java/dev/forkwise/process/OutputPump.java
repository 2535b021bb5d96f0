package dev.forkwise.process;

import java.io.IOException;
import java.util.concurrent.CompletionStage;

/**
 * Reads one output of a child (its standard output or error) without the caller's thread and
 * hands what it reads to a {@link Sink}: the contract both kinds of child meet, so that the API
 * never asks which it has.
 *
 * <p>A pump starts reading when the output is claimed, before a sink is attached: until then what
 * it reads is kept in memory, so that a child never blocks on a pipe nobody reads yet. Once a sink
 * is attached it gets the kept bytes first, then the rest, one call at a time; a sink that is not
 * ready for more (its {@link Sink#take} returned an unfinished stage) stops the reading until it
 * is: the pipe then fills and the child blocks in {@code write}, which bounds the memory a slow
 * consumer costs.
 *
 * <table class="striped">
 * <caption>the implementations</caption>
 * <tr><th>pump</th><th>for</th><th>reads on</th><th>the output ends</th></tr>
 * <tr><td>{@link LoopPump}</td><td>a child forkwise spawned</td><td>the {@link EventLoop}'s thread,
 *     with non-blocking reads</td><td>when the child closes it, or has exited and the pipe is
 *     drained (a grandchild that still holds the pipe does not keep it open)</td></tr>
 * <tr><td>{@link ThreadPump}</td><td>a {@code ProcessBuilder} process ({@link DelegatedProcess})</td>
 *     <td>a virtual thread of its own, with the JDK's blocking reads</td><td>when every holder of
 *     the pipe has closed it, grandchildren included, as with {@code ProcessBuilder}'s streams</td></tr>
 * <tr><td>{@link #EMPTY}</td><td>an output that is not a pipe</td><td>nothing</td><td>at once</td></tr>
 * </table>
 */
public sealed interface OutputPump permits LoopPump, ThreadPump, OutputPump.Empty {

    /**
     * Where a pump delivers. Calls come one at a time, never concurrently, and must not block: on
     * the loop thread for a {@link LoopPump}.
     */
    interface Sink {
        /**
         * Takes {@code bytes[0, length)}; the array is reused after this returns, so a sink copies
         * what it keeps.
         *
         * @param bytes  the buffer holding the chunk
         * @param length how many bytes of it are the chunk
         * @return {@code null} to go on reading, or a stage that completes when the sink wants more
         */
        CompletionStage<?> take(byte[] bytes, int length);

        /** The output ended; nothing more comes. */
        void end();

        /**
         * Reading failed ("Stream closed" once the stream was closed, by {@code destroy()} for one).
         *
         * @param e why
         */
        void failed(IOException e);
    }

    /** The pump of an output that is not a pipe: it ends at once, as a {@code ProcessBuilder} null stream. */
    OutputPump EMPTY = new Empty();

    /**
     * Delivers everything read so far, and everything after, to {@code sink}. Once per pump.
     *
     * @param sink where the bytes go
     * @throws IllegalStateException if a sink is already attached (may be thrown on the pump's thread)
     */
    void attach(Sink sink);

    /** {@link #EMPTY}'s class. */
    final class Empty implements OutputPump {
        private Empty() {
        }

        @Override
        public void attach(Sink sink) {
            sink.end();
        }
    }
}
