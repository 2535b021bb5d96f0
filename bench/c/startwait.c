/*
 * The C floor for forkwise's start-and-wait benchmark: T threads, each starting /bin/true with
 * posix_spawn and reaping it with waitpid, for a fixed time. Prints starts per second.
 *
 *   startwait THREADS SECONDS bare    posix_spawn + waitpid, nothing else
 *   startwait THREADS SECONDS pipes   the work forkwise does for a ProcessBuilder with its default
 *                                     redirects: three O_CLOEXEC pipes, dup2 actions for 0/1/2,
 *                                     closefrom(3), a pidfd, then closing every end
 *
 * With a fourth argument, latency, it also times every start-and-wait of every thread and prints
 * three numbers on the line: starts per second, then the median and the 99th percentile of one
 * start-and-wait in microseconds, over the starts of all threads together (as JMH's SampleTime
 * pools its threads' samples).
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
static int timed;

/* One thread's start-and-wait durations in nanoseconds, when timed. */
struct samples {
    long count;
    long capacity;
    long *nanos;
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static long now_nanos(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void record(struct samples *s, long nanos) {
    if (s->count == s->capacity) {
        s->capacity = s->capacity ? 2 * s->capacity : 4096;
        s->nanos = realloc(s->nanos, s->capacity * sizeof(long));
        if (s->nanos == NULL) {
            perror("realloc");
            exit(1);
        }
    }
    s->nanos[s->count++] = nanos;
}

static int by_value(const void *a, const void *b) {
    long x = *(const long *) a, y = *(const long *) b;
    return (x > y) - (x < y);
}

/* The q-quantile of n sorted values, as the value at rank ceil(q * n) (nearest rank). */
static double quantile_micros(const long *sorted, long n, double q) {
    long rank = (long) (q * n + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1] / 1e3;
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

struct worker {
    long count;
    struct samples samples;
};

static void *loop(void *arg) {
    struct worker *w = arg;
    long n = 0;
    while (!stop) {
        long begin = timed ? now_nanos() : 0;
        if (start_and_wait() != 0) {
            perror("start");
            exit(1);
        }
        if (timed) record(&w->samples, now_nanos() - begin);
        n++;
    }
    w->count = n;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4 && !(argc == 5 && strcmp(argv[4], "latency") == 0)) {
        fprintf(stderr, "usage: %s THREADS SECONDS bare|pipes [latency]\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[1]);
    seconds = atof(argv[2]);
    pipes = strcmp(argv[3], "pipes") == 0;
    timed = argc == 5;
    pthread_t ids[threads];
    struct worker workers[threads];
    memset(workers, 0, sizeof workers);
    double begin = now();
    for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, loop, &workers[i]);
    while (now() - begin < seconds) usleep(10000);
    stop = 1;
    long total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        total += workers[i].count;
    }
    double rate = total / (now() - begin);
    if (!timed) {
        printf("%.1f\n", rate);
        return 0;
    }
    long *all = malloc((total ? total : 1) * sizeof(long));
    if (all == NULL) {
        perror("malloc");
        return 1;
    }
    long n = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(all + n, workers[i].samples.nanos, workers[i].samples.count * sizeof(long));
        n += workers[i].samples.count;
        free(workers[i].samples.nanos);
    }
    if (n == 0) {
        fprintf(stderr, "no start finished\n");
        return 1;
    }
    qsort(all, n, sizeof(long), by_value);
    printf("%.1f %.1f %.1f\n", rate, quantile_micros(all, n, 0.5), quantile_micros(all, n, 0.99));
    free(all);
    return 0;
}
