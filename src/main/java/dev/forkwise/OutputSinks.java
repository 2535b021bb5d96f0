package dev.forkwise;

import dev.forkwise.process.OutputPump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** The sinks behind {@link ProcessOutput}: collect everything, or call back chunk by chunk or line by line. */
final class OutputSinks {

    private OutputSinks() {
    }

    /** Collects every byte; the future completes, on the loop thread, with all of them. */
    static final class Collect implements OutputPump.Sink {
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);

        @Override
        public CompletionStage<?> take(byte[] chunk, int length) {
            bytes.write(chunk, 0, length);
            return null;
        }

        @Override
        public void end() {
            done.complete(bytes.toByteArray());
            bytes.reset();
        }

        @Override
        public void failed(IOException e) {
            done.completeExceptionally(e);
            bytes.reset();
        }
    }

    /**
     * Calls a consumer with each chunk on {@code executor}, one call at a time: the next chunk is
     * read only when the call has returned (back-pressure). A consumer that throws ends the calls:
     * the rest of the output is read and dropped, so the child does not block, and the future
     * completes with the exception.
     */
    static class Callbacks implements OutputPump.Sink {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final Consumer<? super ByteBuffer> consumer;
        private final Executor executor;
        private volatile Throwable consumerFailure;

        Callbacks(Consumer<? super ByteBuffer> consumer, Executor executor) {
            this.consumer = consumer;
            this.executor = executor;
        }

        @Override
        public CompletionStage<?> take(byte[] chunk, int length) {
            if (consumerFailure != null) {
                return null;
            }
            ByteBuffer copy = ByteBuffer.wrap(Arrays.copyOf(chunk, length)).asReadOnlyBuffer();
            return CompletableFuture.runAsync(() -> consumer.accept(copy), executor)
                    .exceptionally(failure -> {
                        consumerFailure = failure;
                        return null;
                    });
        }

        /** Runs after the last chunk's call, on the executor, before the future completes. */
        void finish() {
        }

        @Override
        public void end() {
            executor.execute(() -> {
                if (consumerFailure != null) {
                    done.completeExceptionally(consumerFailure);
                    return;
                }
                try {
                    finish();
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
        }

        @Override
        public void failed(IOException e) {
            executor.execute(() -> done.completeExceptionally(consumerFailure != null ? consumerFailure : e));
        }
    }

    /**
     * Decodes chunks with {@code charset} and calls a consumer with each line, as
     * {@code BufferedReader.readLine} splits them: at {@code \n}, {@code \r} or {@code \r\n}, without
     * the terminator; a last line without one is delivered at the end. Malformed input is replaced.
     */
    static final class Lines extends Callbacks {
        private final LineSplitter splitter;

        Lines(Charset charset, Consumer<? super String> consumer, Executor executor) {
            this(new LineSplitter(charset, consumer), executor);
        }

        private Lines(LineSplitter splitter, Executor executor) {
            super(splitter, executor);
            this.splitter = splitter;
        }

        @Override
        void finish() {
            splitter.finish();
        }
    }

    /**
     * Calls a consumer with each line, as {@link Lines} does, and collects every byte as well;
     * {@link #bytes()} has them once the future has completed normally.
     */
    static final class CollectedLines extends Callbacks {
        private final Teeing tee;

        CollectedLines(Charset charset, Consumer<? super String> consumer, Executor executor) {
            this(new Teeing(new LineSplitter(charset, consumer)), executor);
        }

        private CollectedLines(Teeing tee, Executor executor) {
            super(tee, executor);
            this.tee = tee;
        }

        @Override
        void finish() {
            tee.splitter.finish();
        }

        /** The bytes; read only after the future completed, which orders every chunk's call before. */
        byte[] bytes() {
            return tee.bytes.toByteArray();
        }
    }

    /** Keeps a copy of each chunk, then hands it to the line splitter; one call at a time. */
    private static final class Teeing implements Consumer<ByteBuffer> {
        final LineSplitter splitter;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);

        Teeing(LineSplitter splitter) {
            this.splitter = splitter;
        }

        @Override
        public void accept(ByteBuffer chunk) {
            byte[] copy = new byte[chunk.remaining()];
            chunk.duplicate().get(copy);
            bytes.writeBytes(copy);
            splitter.accept(chunk);
        }
    }

    /** Chunk-to-line decoding state; used by one call at a time, each call happening after the previous. */
    private static final class LineSplitter implements Consumer<ByteBuffer> {
        private final CharsetDecoder decoder;
        private final Consumer<? super String> consumer;
        private final StringBuilder line = new StringBuilder();
        private ByteBuffer carry = ByteBuffer.allocate(0);
        private CharBuffer chars = CharBuffer.allocate(8192);
        private boolean afterCarriageReturn;

        LineSplitter(Charset charset, Consumer<? super String> consumer) {
            this.decoder = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            this.consumer = consumer;
        }

        @Override
        public void accept(ByteBuffer chunk) {
            ByteBuffer input = ByteBuffer.allocate(carry.remaining() + chunk.remaining()).put(carry).put(chunk).flip();
            decode(input, false);
            carry = ByteBuffer.allocate(input.remaining()).put(input).flip();   // an incomplete character
        }

        void finish() {
            decode(carry, true);
            chars.clear();
            decoder.flush(chars);
            split(chars.flip());
            if (!line.isEmpty()) {
                consumer.accept(line.toString());
                line.setLength(0);
            }
        }

        private void decode(ByteBuffer input, boolean endOfInput) {
            while (true) {
                chars.clear();
                var result = decoder.decode(input, chars, endOfInput);
                split(chars.flip());
                if (!result.isOverflow()) {
                    return;
                }
            }
        }

        private void split(CharBuffer text) {
            while (text.hasRemaining()) {
                char c = text.get();
                if (afterCarriageReturn && c == '\n') {
                    afterCarriageReturn = false;
                    continue;
                }
                afterCarriageReturn = c == '\r';
                if (c == '\n' || c == '\r') {
                    consumer.accept(line.toString());
                    line.setLength(0);
                } else {
                    line.append(c);
                }
            }
        }
    }

    /** Drops everything; the future completes at the end of the output. */
    static final class Discard implements OutputPump.Sink {
        final CompletableFuture<Void> done = new CompletableFuture<>();

        @Override
        public CompletionStage<?> take(byte[] chunk, int length) {
            return null;
        }

        @Override
        public void end() {
            done.complete(null);
        }

        @Override
        public void failed(IOException e) {
            done.completeExceptionally(e);
        }
    }
}
