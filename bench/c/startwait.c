/*
 * The C floor for forkwise's start-and-wait benchmark: T threads, each starting /bin/true with
 * posix_spawn and reaping it with waitpid, for a fixed time. Prints starts per second.
 *
 *   startwait THREADS SECONDS bare    posix_spawn + waitpid, nothing else
 *   startwait THREADS SECONDS pipes   the work forkwise does for a ProcessBuilder with its default
 *                                     redirects: three O_CLOEXEC pipes, dup2 actions for 0/1/2,
 *                                     closefrom(3), a pidfd, then closing every end
 *
 * Benchmark tooling only; the library has no native code. Built by bench/run-suite.sh.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int pipes;
static double seconds;
static volatile int stop;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int start_and_wait(void) {
    char *argv[] = {"/bin/true", NULL};
    pid_t pid;
    int status;
    if (!pipes) {
        if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0) return -1;
        return waitpid(pid, &status, 0) == pid ? 0 : -1;
    }
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    int rc = posix_spawn(&pid, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (rc == 0) {
        int pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
        rc = waitpid(pid, &status, 0) == pid ? 0 : -1;
        if (pidfd >= 0) close(pidfd);
    }
    close(in[1]);
    close(out[0]);
    close(err[0]);
    return rc;
}

static void *loop(void *count) {
    long n = 0;
    while (!stop) {
        if (start_and_wait() != 0) {
            perror("start");
            exit(1);
        }
        n++;
    }
    *(long *) count = n;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s THREADS SECONDS bare|pipes\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[1]);
    seconds = atof(argv[2]);
    pipes = strcmp(argv[3], "pipes") == 0;
    pthread_t ids[threads];
    long counts[threads];
    double begin = now();
    for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, loop, &counts[i]);
    while (now() - begin < seconds) usleep(10000);
    stop = 1;
    long total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        total += counts[i];
    }
    printf("%.1f\n", total / (now() - begin));
    return 0;
}
