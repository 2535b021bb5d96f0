package dev.forkwise.process;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event for each exit of a child forkwise spawned, committed by whoever reaps it (the
 * watcher, a reaper thread, or a thread in {@code waitFor}) before {@code onExit()} completes. Its
 * duration is the child's life, from the end of its start to its reap, when the recorder had
 * started by the time the child was; otherwise it is an instant. Only {@link ExitRecord} creates
 * one, and only once JFR's recorder has started ({@link dev.forkwise.spawn.Recorder}).
 */
@Name("dev.forkwise.ProcessExit")
@Label("forkwise Process Exit")
@Category({"forkwise"})
@Description("A child started by forkwise has exited and been reaped; the duration is its life")
@StackTrace(false)
final class ProcessExit extends jdk.jfr.Event implements ExitRecord {

    @Label("Process Id")
    long pid;

    @Label("Exit Value")
    @Description("As Process.exitValue() reports it: the exit code, or 128 + the signal number")
    int exitValue;

    @Label("Signal")
    @Description("The number of the signal that killed the process, 0 if it exited by itself")
    int signal;

    /** {@return an event begun now, for a child just started} */
    static ProcessExit begun() {
        ProcessExit event = new ProcessExit();
        event.begin();
        return event;
    }

    /** {@return an event not begun, which records the exit as an instant} */
    static ProcessExit instant() {
        return new ProcessExit();
    }

    @Override
    public void exited(int pid, int ending) {
        if (shouldCommit()) {
            this.pid = pid;
            exitValue = ChildReference.exitValue(ending);
            signal = ending < 0 ? -ending : 0;
            commit();
        }
    }
}
