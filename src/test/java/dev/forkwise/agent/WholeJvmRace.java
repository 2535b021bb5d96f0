package dev.forkwise.agent;

import dev.forkwise.RoutingAgent;
import dev.forkwise.Spawner;
import dev.forkwise.support.WriteThenExec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A child JVM's program for {@code WholeJvmEtxtbsyTest}: the write-then-exec race of design.md §1
 * in code that knows nothing of forkwise, or half of it so.
 *
 * <p>Arguments: the mode, the threads, the starts per thread, a directory. {@code control} runs
 * the workload with {@code ProcessBuilder.start()} until the first ETXTBSY, for at most ten
 * rounds; {@code full} runs it once, whole; {@code mixed} runs half the threads with
 * {@code ProcessBuilder.start()} and half with {@code Spawner.start}, at the same time. Each
 * spawner's outcome is one line: {@code name: starts busy other}.
 */
public final class WholeJvmRace {

    private WholeJvmRace() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int threads = Integer.parseInt(args[1]);
        int iterations = Integer.parseInt(args[2]);
        Path dir = Path.of(args[3]);
        switch (mode) {
            case "control" -> print("processBuilder",
                    WriteThenExec.untilFirstBusy(ProcessBuilder::start, threads, iterations, dir, 10));
            case "full" -> print("processBuilder", WriteThenExec.run(ProcessBuilder::start, threads, iterations, dir));
            case "mixed" -> {
                Path builders = Files.createDirectories(dir.resolve("processBuilder"));
                Path spawners = Files.createDirectories(dir.resolve("spawner"));
                CompletableFuture<WriteThenExec.Result> viaBuilder = CompletableFuture.supplyAsync(
                        () -> run(builders, threads / 2, iterations, false));
                WriteThenExec.Result viaSpawner = run(spawners, threads - threads / 2, iterations, true);
                print("processBuilder", viaBuilder.join());
                print("spawner", viaSpawner);
            }
            default -> throw new IllegalArgumentException(mode);
        }
        System.out.println("routed: " + RoutingAgent.routedStarts());
    }

    private static WriteThenExec.Result run(Path dir, int threads, int iterations, boolean spawner) {
        try {
            return WriteThenExec.run(spawner ? Spawner::start : ProcessBuilder::start, threads, iterations, dir);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void print(String name, WriteThenExec.Result result) {
        System.out.println(name + ": " + result.starts() + " " + result.busy() + " " + result.otherFailures());
    }
}
