package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;
import org.junit.jupiter.api.Test;

import static dev.forkwise.OsProbe.isOpen;
import static dev.forkwise.OsProbe.pipe;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hazard of closing a descriptor twice: the second close hits whatever the kernel gave the
 * number to in between. A {@link Descriptor} closes once, and not while an operation uses it.
 */
class DescriptorCloseOnceTest {

    @Test
    void aSecondCloseDoesNotCloseTheNextOwnerOfTheNumber() {
        int[] pipe = pipe();
        Descriptor first = new Descriptor(pipe[0]);
        first.close();
        int[] next = pipe();   // the lowest free number: the one just closed
        assertThat(next[0]).isEqualTo(pipe[0]);

        first.close();

        assertThat(isOpen(next[0])).as("the new owner's descriptor").isTrue();
        Libc.close(pipe[1]);
        Libc.close(next[0]);
        Libc.close(next[1]);
    }

    @Test
    void closeWaitsForTheOperationInProgress() throws IOException {
        int[] pipe = pipe();
        Descriptor descriptor = new Descriptor(pipe[0]);
        descriptor.acquire();

        descriptor.close();

        assertThat(isOpen(pipe[0])).as("still in use").isTrue();
        assertThatThrownBy(descriptor::acquire).isInstanceOf(IOException.class).hasMessage("Stream closed");
        descriptor.release();
        assertThat(isOpen(pipe[0])).as("released by the last user").isFalse();
        Libc.close(pipe[1]);
    }
}
