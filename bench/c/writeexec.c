/*
 * The C program for forkwise's write-then-exec benchmark (design.md §1's race workload): T threads
 * for a fixed time, each in a loop writing `#!/bin/sh\nexit 0\n` to a file of its own, making it
 * executable, starting it and waiting for it. Prints one line: successful starts per second, then
 * the starts that failed with ETXTBSY, then those that failed otherwise (a start that failed, or a
 * child that exited non-zero), both counts over the whole run. A failed start is counted and the
 * loop goes on; nothing is retried.
 *
 * The file is written with the system calls the JDK makes for WriteThenExecBenchmark's
 * Files.deleteIfExists, new FileOutputStream(file).write(SCRIPT), close and
 * File.setExecutable(true): lstat and unlink; open O_WRONLY|O_CREAT|O_TRUNC, 0666 (not
 * O_CLOEXEC: FileOutputStream's descriptors are not), fstat, write, close; stat and chmod adding
 * the owner's execute bit. The files are made like Files.createTempFile's, in /tmp.
 *
 *   writeexec THREADS SECONDS spawn   starts the way forkwise starts a ProcessBuilder with its
 *                                     default redirects: three pipe2(O_CLOEXEC) pipes; posix_spawn
 *                                     with dup2 actions for 0/1/2 and closefrom(3), an empty signal
 *                                     mask and SIGPIPE at its default (forkwise's attributes);
 *                                     pidfd_open; closing the child's ends; waitid(P_PIDFD);
 *                                     closing the parent's ends and the pidfd
 *   writeexec THREADS SECONDS fork    the same with fork() and execve in place of posix_spawn, the
 *                                     model of the JDK's FORK launch mechanism: the child makes the
 *                                     same dup2s, closes every descriptor from 3 but a close-on-exec
 *                                     status pipe on which it reports a failed execve's errno
 *
 * It waits with waitid(P_PIDFD) because that is the call forkwise reaps its children with (on a
 * kernel with pidfds), so the pidfd it opens is used as forkwise uses it; forkwise's own waiting
 * (a poll of the pidfd, its exit-watcher thread) is what is measured against this.
 *
 * Benchmark tooling only; the library has no native code. Built by bench/run-suite.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

extern char **environ;

static const char SCRIPT[] = "#!/bin/sh\nexit 0\n";

static int use_fork;
static atomic_int stop;

struct worker {
    pthread_t thread;
    char path[64];
    long starts, busy, failed;
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what, const char *path) {
    fprintf(stderr, "writeexec: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

/* Files.deleteIfExists, FileOutputStream write and close, File.setExecutable(true). */
static void write_script(const char *path) {
    struct stat st;
    if (lstat(path, &st) == 0 && unlink(path) != 0) die("unlink", path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0 || fstat(fd, &st) != 0) die("open", path);
    if (write(fd, SCRIPT, sizeof SCRIPT - 1) != (ssize_t) (sizeof SCRIPT - 1)) die("write", path);
    if (close(fd) != 0) die("close", path);
    if (stat(path, &st) != 0 || chmod(path, st.st_mode | S_IXUSR) != 0) die("chmod", path);
}

/* forkwise's posix_spawn: dup2 0/1/2, closefrom(3); empty mask, SIGPIPE to default. Returns an errno. */
static int spawn_child(const char *path, const int stdio[3], pid_t *pid) {
    char *argv[] = {(char *) path, NULL};
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    sigset_t empty, sigpipe;
    sigemptyset(&empty);
    sigemptyset(&sigpipe);
    sigaddset(&sigpipe, SIGPIPE);
    posix_spawn_file_actions_init(&actions);
    for (int target = 0; target < 3; target++) posix_spawn_file_actions_adddup2(&actions, stdio[target], target);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setsigmask(&attributes, &empty);
    posix_spawnattr_setsigdefault(&attributes, &sigpipe);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    int rc = posix_spawn(pid, path, &actions, &attributes, argv, environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return rc;
}

/* The JDK's FORK model: fork, the same descriptors and signals, execve; a failed exec's errno on a pipe. */
static int fork_child(const char *path, const int stdio[3], pid_t *pid) {
    char *argv[] = {(char *) path, NULL};
    int status[2];
    if (pipe2(status, O_CLOEXEC) != 0) return errno;
    *pid = fork();
    if (*pid == 0) {
        sigset_t empty;
        sigemptyset(&empty);
        for (int target = 0; target < 3; target++) dup2(stdio[target], target);
        dup2(status[1], 3);
        fcntl(3, F_SETFD, FD_CLOEXEC);
        close_range(4, ~0U, 0);
        signal(SIGPIPE, SIG_DFL);
        sigprocmask(SIG_SETMASK, &empty, NULL);
        execve(path, argv, environ);
        int error = errno;
        (void) !write(3, &error, sizeof error);
        _exit(127);
    }
    int error = *pid < 0 ? errno : 0;
    close(status[1]);
    if (*pid > 0) {
        ssize_t n;
        while ((n = read(status[0], &error, sizeof error)) < 0 && errno == EINTR) {
        }
        if (n == (ssize_t) sizeof error) {
            waitpid(*pid, NULL, 0);   /* the child that failed to execute, exiting 127 */
        } else {
            error = 0;                /* EOF: execve closed the pipe, the child runs the script */
        }
    }
    close(status[0]);
    return error;
}

/* One start and wait. Returns 0, the errno of a failed start, or -1 for a non-zero exit. */
static int start_and_wait(const char *path) {
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) != 0) return errno;
    if (pipe2(out, O_CLOEXEC) != 0) {
        int error = errno;
        close(in[0]);
        close(in[1]);
        return error;
    }
    if (pipe2(err, O_CLOEXEC) != 0) {
        int error = errno;
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        return error;
    }
    int stdio[3] = {in[0], out[1], err[1]};
    pid_t pid;
    int rc = use_fork ? fork_child(path, stdio, &pid) : spawn_child(path, stdio, &pid);
    int pidfd = -1;
    if (rc == 0) {
        pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
        if (pidfd < 0) {
            rc = errno;
            waitpid(pid, NULL, 0);
        }
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (rc == 0) {
        siginfo_t info;
        while (waitid(P_PIDFD, (id_t) pidfd, &info, WEXITED) != 0) {
            if (errno != EINTR) {
                rc = errno;
                break;
            }
        }
        if (rc == 0 && !(info.si_code == CLD_EXITED && info.si_status == 0)) rc = -1;
        close(pidfd);
    }
    close(in[1]);
    close(out[0]);
    close(err[0]);
    return rc;
}

static void *loop(void *arg) {
    struct worker *w = arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        write_script(w->path);
        int rc = start_and_wait(w->path);
        if (rc == 0) {
            w->starts++;
        } else if (rc == ETXTBSY) {
            w->busy++;
        } else {
            w->failed++;
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4 || (strcmp(argv[3], "spawn") != 0 && strcmp(argv[3], "fork") != 0) || atoi(argv[1]) < 1) {
        fprintf(stderr, "usage: %s THREADS SECONDS spawn|fork\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[1]);
    double seconds = atof(argv[2]);
    use_fork = strcmp(argv[3], "fork") == 0;
    struct worker *workers = calloc((size_t) threads, sizeof *workers);
    if (workers == NULL) return 1;
    for (int i = 0; i < threads; i++) {
        strcpy(workers[i].path, "/tmp/forkwise-writeexec-XXXXXX.sh");
        int fd = mkstemps(workers[i].path, 3);
        if (fd < 0) die("mkstemps", workers[i].path);
        close(fd);
    }
    double begin = now();
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&workers[i].thread, NULL, loop, &workers[i]) != 0) {
            fprintf(stderr, "writeexec: cannot create thread %d\n", i);
            return 1;
        }
    }
    while (now() - begin < seconds) usleep(10000);
    atomic_store(&stop, 1);
    long starts = 0, busy = 0, failed = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(workers[i].thread, NULL);
        starts += workers[i].starts;
        busy += workers[i].busy;
        failed += workers[i].failed;
    }
    double elapsed = now() - begin;
    for (int i = 0; i < threads; i++) unlink(workers[i].path);
    printf("%.1f %ld %ld\n", starts / elapsed, busy, failed);
    return 0;
}
