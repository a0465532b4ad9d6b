/*
 * kernelbench: the work of `viofs bench --workload volume` (VolumeBench) done with plain system calls on
 * a directory the Linux kernel's FUSE client has mounted, so the two can be put side by side. Run by
 * scripts/bench/kernel-fuse.sh, which mounts libfuse's passthrough_ll over a fresh source directory;
 * the README's "Kernel FUSE comparator" section documents every key printed here.
 *
 *   kernelbench [options] MOUNT SOURCE
 *     MOUNT   the FUSE mount point: everything timed goes through it
 *     SOURCE  the directory the daemon serves: the listed directories are filled here, from the host
 *             side, as VolumeBench fills them
 *   --file-mib N         sequential file size (256)
 *   --files N            files created and then deleted (10000)
 *   --list-entries A,B   entries of the two listed directories (10000,100000)
 *   --samples N          timed fstat calls and open+close cycles, after N/5 untimed (10000)
 *   --random-reads N     4 KiB reads per random-read pass (100000)
 *   --daemon TEXT        what serves MOUNT, printed as the "daemon" key
 *   --mark-requests      instead of the benchmark, run each counted operation once between marker
 *                        lookups (see mark_requests) and print nothing but the markers' names
 *   --requests-log FILE  after the benchmark, print the FUSE requests per operation counted in FILE,
 *                        the debug log (-d) of a daemon that served a --mark-requests run
 *
 * Prints one JSON object on stdout; errors go to stderr with exit status 1. A listing the daemon fails
 * (passthrough_ll keeps an O_PATH descriptor for every inode the kernel holds a lookup of, so a large
 * listing with attributes can run it out of descriptors) is reported in "failures" with its figure 0,
 * and the program exits 4 after printing everything.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024L * 1024L)
#define LARGE_CALL (1024 * 1024)
#define SMALL_CALL (64 * 1024)
#define PAGE 4096
#define RANDOM_THREADS 8
#define ROUNDS 5

struct sizes {
    long file_mib;
    long files;
    long small_listing;
    long large_listing;
    long samples;
    long random_reads;
};

static const char *mount_dir;
static const char *source_dir;

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kernelbench: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static int64_t now_nanos(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* mount_dir or source_dir joined with a relative name; the result is the caller's to free */
static char *join(const char *dir, const char *name)
{
    char *p;
    if (asprintf(&p, "%s/%s", dir, name) < 0) {
        die("out of memory");
    }
    return p;
}

static void *page_aligned(size_t bytes)
{
    void *p;
    if (posix_memalign(&p, PAGE, bytes) != 0) {
        die("out of memory for a %zu-byte buffer", bytes);
    }
    return p;
}

static void fill_pattern(unsigned char *b, size_t bytes)
{
    for (size_t i = 0; i < bytes; i++) {
        b[i] = (unsigned char) (i * 31 + 7);
    }
}

/* ------------------------------------------------------------------ JSON output */

/* Every key of the output, in output order (the README's "Kernel FUSE comparator" table documents each;
 * installer's KernelBenchKeysTest reads this list). The request counts come only with --requests-log,
 * "failures" only when a listing failed. */
static const char *const KEYS[] = {
    "daemon",
    "seqReadMiBps", "seqRead64kMiBps", "seqWriteMiBps", "seqWrite64kMiBps",
    "randRead4kIops", "randRead4k8ThreadsIops",
    "getFileInfoMedianMicros", "getFileInfoP99Micros", "openCloseMedianMicros", "openCloseP99Micros",
    "createOpsPerSec", "deleteOpsPerSec",
    "list10kEntriesPerSec", "list10kStatEntriesPerSec", "list100kEntriesPerSec", "list100kStatEntriesPerSec",
    "seqReadRequestsPerCall", "seqWriteRequestsPerCall", "randRead4kRequestsPerCall", "getFileInfoRequests",
    "openCloseRequests", "createRequests", "deleteRequests",
    "fileBytes", "files", "list10kEntries", "list100kEntries", "latencySamples", "randomReads",
    "failures"
};
#define N_KEYS (sizeof KEYS / sizeof KEYS[0])

/* the keys a --mark-requests run marks, in output order */
static const char *const COUNTED[] = {
    "seqReadRequestsPerCall", "seqWriteRequestsPerCall", "randRead4kRequestsPerCall", "getFileInfoRequests",
    "openCloseRequests", "createRequests", "deleteRequests"
};
#define N_COUNTED (sizeof COUNTED / sizeof COUNTED[0])

static size_t next_key;
static int counting;

/* what failed: a listing the daemon could not complete is reported with its figure 0, as the volume
 * bench reports its own, and the run goes on; the program then exits 4 after printing everything */
#define MAX_FAILURES 8
static char *failures[MAX_FAILURES];
static int n_failures;

static int is_counted(const char *key)
{
    for (size_t k = 0; k < N_COUNTED; k++) {
        if (strcmp(COUNTED[k], key) == 0) {
            return 1;
        }
    }
    return 0;
}

/* the next key due in KEYS order, the request counts skipped when not counting */
static const char *due_key(void)
{
    while (next_key < N_KEYS && ((!counting && is_counted(KEYS[next_key]))
            || (n_failures == 0 && strcmp(KEYS[next_key], "failures") == 0))) {
        next_key++;
    }
    return next_key < N_KEYS ? KEYS[next_key] : NULL;
}

static void json_key(const char *key)
{
    const char *due = due_key();
    if (due == NULL || strcmp(due, key) != 0) {
        die("printed %s where %s was due: KEYS and the program disagree", key, due ? due : "the end");
    }
    printf("%s\n  \"%s\": ", next_key++ ? "," : "{", key);
}

static void json_end(void)
{
    if (due_key() != NULL) {
        die("%s was never printed: KEYS and the program disagree", due_key());
    }
    printf("\n}\n");
}

static void json_long(const char *key, long v)
{
    json_key(key);
    printf("%ld", v);
}

static void json_rounded(const char *key, double v)
{
    json_key(key);
    printf("%.0f", v);
}

static void json_2dp(const char *key, double v)
{
    json_key(key);
    printf("%.2f", v);
}

static void json_string_value(const char *v)
{
    putchar('"');
    for (const char *c = v; *c; c++) {
        if ((unsigned char) *c < 0x20) {
            printf("\\u%04x", (unsigned) *c);
            continue;
        }
        if (*c == '"' || *c == '\\') {
            putchar('\\');
        }
        putchar(*c);
    }
    putchar('"');
}

static void json_string(const char *key, const char *v)
{
    json_key(key);
    json_string_value(v);
}

static void json_failures(void)
{
    if (n_failures == 0) {
        return;
    }
    json_key("failures");
    putchar('[');
    for (int i = 0; i < n_failures; i++) {
        printf("%s\n    ", i ? "," : "");
        json_string_value(failures[i]);
    }
    printf("\n  ]");
}

/* ------------------------------------------------------------------ sequential and random I/O */

/* one pass over the file from offset 0 in call-byte read() calls (write() when writing) */
static void pass(int fd, long bytes, int call, unsigned char *buf, int writing)
{
    if (lseek(fd, 0, SEEK_SET) != 0) {
        die("lseek: %s", strerror(errno));
    }
    for (long off = 0; off < bytes; off += call) {
        ssize_t n = writing ? write(fd, buf, (size_t) call) : read(fd, buf, (size_t) call);
        if (n != call) {
            die("short %s at %ld: %zd of %d bytes (%s)", writing ? "write" : "read", off, n, call,
                n < 0 ? strerror(errno) : "no error");
        }
    }
}

static double pass_mibps(int fd, long bytes, int call, unsigned char *buf, int writing)
{
    double t0 = now_seconds();
    pass(fd, bytes, call, buf, writing);
    return (double) bytes / (double) MIB / (now_seconds() - t0);
}

struct random_worker {
    pthread_t thread;
    int fd;
    long pages;
    long reads;
    uint64_t state;
    const char *error;
};

/* splitmix64: a small seeded generator, so every run reads the same offsets */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void *random_reads(void *arg)
{
    struct random_worker *w = arg;
    unsigned char *buf = page_aligned(PAGE);
    for (long i = 0; i < w->reads; i++) {
        off_t off = (off_t) (next_random(&w->state) % (uint64_t) w->pages) * PAGE;
        if (pread(w->fd, buf, PAGE, off) != PAGE) {
            w->error = "short 4 KiB pread";
            break;
        }
    }
    free(buf);
    return NULL;
}

/* total 4 KiB preads at random page offsets from `threads` threads sharing fd; reads per second */
static double random_pass(int fd, long pages, long total, int threads, uint64_t seed)
{
    struct random_worker w[RANDOM_THREADS];
    double t0 = now_seconds();
    for (int t = 0; t < threads; t++) {
        w[t] = (struct random_worker) {
            .fd = fd, .pages = pages, .reads = total / threads + (t < total % threads ? 1 : 0),
            .state = seed * 1000 + (uint64_t) t, .error = NULL
        };
        if (threads == 1) {
            random_reads(&w[t]);
        } else if (pthread_create(&w[t].thread, NULL, random_reads, &w[t]) != 0) {
            die("pthread_create failed");
        }
    }
    for (int t = 0; threads > 1 && t < threads; t++) {
        pthread_join(w[t].thread, NULL);
    }
    double seconds = now_seconds() - t0;
    for (int t = 0; t < threads; t++) {
        if (w[t].error) {
            die("%s", w[t].error);
        }
    }
    return (double) total / seconds;
}

static void sequential(const struct sizes *s)
{
    long bytes = s->file_mib * MIB;
    char *path = join(mount_dir, "bench-seq.bin");
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        die("create %s: %s", path, strerror(errno));
    }
    unsigned char *buf = page_aligned(LARGE_CALL);
    fill_pattern(buf, LARGE_CALL);
    /* the first passes make the file its full size and warm up; untimed */
    pass(fd, bytes, LARGE_CALL, buf, 1);
    pass(fd, bytes, LARGE_CALL, buf, 0);
    fill_pattern(buf, LARGE_CALL);
    const int calls[2] = { LARGE_CALL, SMALL_CALL };
    double read[2] = { 0, 0 };
    double written[2] = { 0, 0 };
    for (int c = 0; c < 2; c++) {
        for (int round = 0; round < ROUNDS; round++) {
            double w = pass_mibps(fd, bytes, calls[c], buf, 1);
            written[c] = w > written[c] ? w : written[c];
            double r = pass_mibps(fd, bytes, calls[c], buf, 0);
            read[c] = r > read[c] ? r : read[c];
        }
    }
    json_rounded("seqReadMiBps", read[0]);
    json_rounded("seqRead64kMiBps", read[1]);
    json_rounded("seqWriteMiBps", written[0]);
    json_rounded("seqWrite64kMiBps", written[1]);

    long pages = bytes / PAGE;
    long n = s->random_reads;
    random_pass(fd, pages, n / 5 > 0 ? n / 5 : 1, 1, 1); /* warm-up */
    json_rounded("randRead4kIops", random_pass(fd, pages, n, 1, 2));
    json_rounded("randRead4k8ThreadsIops", random_pass(fd, pages, n, RANDOM_THREADS, 3));
    free(buf);
    if (close(fd) != 0) {
        die("close %s: %s", path, strerror(errno));
    }
    free(path);
}

/* ------------------------------------------------------------------ latencies */

static int compare_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a;
    int64_t y = *(const int64_t *) b;
    return (x > y) - (x < y);
}

/* nearest rank over the sorted samples, as the volume bench's LatencyStats: the smallest sample with at
 * least p% of them at or below it; in microseconds */
static double percentile_micros(const int64_t *sorted, long n, double p)
{
    long rank = (long) ((p / 100.0) * (double) n + 0.999999999);
    if (rank < 1) {
        rank = 1;
    }
    if (rank > n) {
        rank = n;
    }
    return (double) sorted[rank - 1] / 1000.0;
}

static void report_latency(const char *median_key, const char *p99_key, int64_t *t, long n)
{
    qsort(t, (size_t) n, sizeof t[0], compare_int64);
    json_2dp(median_key, percentile_micros(t, n, 50));
    json_2dp(p99_key, percentile_micros(t, n, 99));
}

static void open_close(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        die("open %s: %s", path, strerror(errno));
    }
    if (close(fd) != 0) {
        die("close %s: %s", path, strerror(errno));
    }
}

static void latencies(const struct sizes *s)
{
    char *path = join(mount_dir, "bench-small.bin");
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        die("create %s: %s", path, strerror(errno));
    }
    unsigned char page[PAGE];
    fill_pattern(page, PAGE);
    if (write(fd, page, PAGE) != PAGE) {
        die("write %s: %s", path, strerror(errno));
    }
    long n = s->samples;
    long warm = n / 5 > 0 ? n / 5 : 1;
    int64_t *t = calloc((size_t) n, sizeof *t);
    if (t == NULL) {
        die("out of memory");
    }
    struct stat st;
    for (long i = 0; i < warm; i++) {
        if (fstat(fd, &st) != 0) {
            die("fstat %s: %s", path, strerror(errno));
        }
    }
    for (long i = 0; i < n; i++) {
        int64_t t0 = now_nanos();
        if (fstat(fd, &st) != 0) {
            die("fstat %s: %s", path, strerror(errno));
        }
        t[i] = now_nanos() - t0;
    }
    if (st.st_size != PAGE) {
        die("fstat %s: size %lld, expected %d", path, (long long) st.st_size, PAGE);
    }
    report_latency("getFileInfoMedianMicros", "getFileInfoP99Micros", t, n);
    if (close(fd) != 0) {
        die("close %s: %s", path, strerror(errno));
    }
    for (long i = 0; i < warm; i++) {
        open_close(path);
    }
    for (long i = 0; i < n; i++) {
        int64_t t0 = now_nanos();
        open_close(path);
        t[i] = now_nanos() - t0;
    }
    report_latency("openCloseMedianMicros", "openCloseP99Micros", t, n);
    free(t);
    free(path);
}

/* ------------------------------------------------------------------ create and delete */

static char *file_path(const char *dir, long i)
{
    char *p;
    if (asprintf(&p, "%s/f%06ld.bin", dir, i) < 0) {
        die("out of memory");
    }
    return p;
}

static void create_write_close(const char *path, const unsigned char *page)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        die("create %s: %s", path, strerror(errno));
    }
    if (write(fd, page, PAGE) != PAGE) {
        die("write %s: %s", path, strerror(errno));
    }
    if (close(fd) != 0) {
        die("close %s: %s", path, strerror(errno));
    }
}

static void create_and_delete(const struct sizes *s)
{
    char *dir = join(mount_dir, "bench-files");
    if (mkdir(dir, 0755) != 0) {
        die("mkdir %s: %s", dir, strerror(errno));
    }
    unsigned char page[PAGE];
    fill_pattern(page, PAGE);
    long n = s->files;
    char **paths = calloc((size_t) n, sizeof *paths);
    if (paths == NULL) {
        die("out of memory");
    }
    for (long i = 0; i < n; i++) {
        paths[i] = file_path(dir, i);
    }
    double t0 = now_seconds();
    for (long i = 0; i < n; i++) {
        create_write_close(paths[i], page);
    }
    double create_seconds = now_seconds() - t0;
    t0 = now_seconds();
    for (long i = 0; i < n; i++) {
        if (unlink(paths[i]) != 0) {
            die("unlink %s: %s", paths[i], strerror(errno));
        }
    }
    double delete_seconds = now_seconds() - t0;
    json_rounded("createOpsPerSec", (double) n / create_seconds);
    json_rounded("deleteOpsPerSec", (double) n / delete_seconds);
    for (long i = 0; i < n; i++) {
        free(paths[i]);
    }
    free(paths);
    free(dir);
}

/* ------------------------------------------------------------------ listings */

/* the directory `name` of `entries` empty files, made in the source directory (the host side) */
static void fill_on_host(const char *name, long entries)
{
    char *dir = join(source_dir, name);
    if (mkdir(dir, 0755) != 0) {
        die("mkdir %s: %s", dir, strerror(errno));
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd < 0) {
        die("open %s: %s", dir, strerror(errno));
    }
    for (long i = 0; i < entries; i++) {
        char file[32];
        snprintf(file, sizeof file, "f%06ld.bin", i);
        int fd = openat(dfd, file, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0 || close(fd) != 0) {
            die("create %s/%s: %s", dir, file, strerror(errno));
        }
    }
    close(dfd);
    free(dir);
}

/* one listing of the mounted directory from opendir to closedir: entries read ("." and ".." included),
 * each also fstatat'ed without following links when with_stat; entries per second, or -1 with the
 * failure recorded under `key` when a call failed (the daemon's answer, e.g. out of descriptors) */
static double list_once(const char *key, const char *path, long expected, int with_stat)
{
    double t0 = now_seconds();
    DIR *d = opendir(path);
    if (d == NULL) {
        die("opendir %s: %s", path, strerror(errno));
    }
    int dfd = dirfd(d);
    long listed = 0;
    struct stat st;
    const char *failed_call = NULL;
    char failed_name[sizeof ((struct dirent *) 0)->d_name + 8] = "";
    int failed_errno = 0;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (e == NULL) {
            if (errno != 0) {
                failed_call = "readdir";
                failed_errno = errno;
            }
            break;
        }
        if (with_stat && fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            failed_call = "fstatat";
            failed_errno = errno;
            snprintf(failed_name, sizeof failed_name, " of %s", e->d_name);
            break;
        }
        listed++;
    }
    if (closedir(d) != 0) {
        die("closedir %s: %s", path, strerror(errno));
    }
    double seconds = now_seconds() - t0;
    if (failed_call != NULL) {
        struct rlimit nofile;
        long limit = getrlimit(RLIMIT_NOFILE, &nofile) == 0 ? (long) nofile.rlim_cur : -1;
        if (n_failures == MAX_FAILURES || asprintf(&failures[n_failures], "%s: listing %ld entries: %s%s failed "
                "after %ld entries: %s (the daemon inherits this script's descriptor limit, %ld)", key, expected + 2,
                failed_call, failed_name, listed, strerror(failed_errno), limit) < 0) {
            die("out of memory");
        }
        n_failures++;
        return -1;
    }
    if (listed != expected + 2) {
        die("listed %ld entries in %s, expected %ld + . and ..", listed, path, expected);
    }
    return (double) listed / seconds;
}

static void json_listing(const char *key, const char *path, long entries, int with_stat)
{
    double per_second = list_once(key, path, entries, with_stat);
    json_rounded(key, per_second < 0 ? 0 : per_second);
}

/* names only first, then with attributes: a listing whose entries were looked up makes the kernel keep
 * READDIRPLUS for that directory, so the names-only listing must not come after one on the same one */
static void listing(const char *names_key, const char *stat_key, const char *name, long entries)
{
    fill_on_host(name, entries);
    char *path = join(mount_dir, name);
    json_listing(names_key, path, entries, 0);
    json_listing(stat_key, path, entries, 1);
    free(path);
}

/* ------------------------------------------------------------------ request counting */

/*
 * --mark-requests: each operation the volume bench counts requests for, run once on a file or directory
 * made as in the timed run, after a lookup of a marker name that does not exist
 * (".kernelbench-mark-<key>"), so the daemon's debug log can be cut into one piece per operation: every
 * request libfuse receives is one "unique: ..." line of that log, and passthrough_ll logs each LOOKUP's
 * name after it. The kernel sends RELEASE (and may send FORGET) after close() or unlink() has returned,
 * so a pause follows each operation for the daemon to receive what is still on its way; the markers
 * "uncounted" and "end" close pieces that are not reported. Nothing here is timed, and the timed run
 * uses a daemon without -d (its logging would slow every request down).
 */
#define MARK_PREFIX ".kernelbench-mark-"

static void mark(const char *key)
{
    char name[96];
    snprintf(name, sizeof name, MARK_PREFIX "%s", key);
    char *path = join(mount_dir, name);
    struct stat st;
    if (stat(path, &st) == 0 || errno != ENOENT) {
        die("marker %s exists or failed unexpectedly", path);
    }
    free(path);
    puts(name);
}

static void settle(void)
{
    struct timespec pause = { 0, 200 * 1000 * 1000 };
    nanosleep(&pause, NULL);
}

static void mark_requests(void)
{
    unsigned char *buf = page_aligned(LARGE_CALL);
    fill_pattern(buf, LARGE_CALL);
    char *seq = join(mount_dir, "bench-seq.bin");
    int fd = open(seq, O_RDWR | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        die("create %s: %s", seq, strerror(errno));
    }
    pass(fd, 4 * MIB, LARGE_CALL, buf, 1);
    settle();
    mark("seqReadRequestsPerCall");
    if (pread(fd, buf, LARGE_CALL, 0) != LARGE_CALL) {
        die("pread %s", seq);
    }
    settle();
    mark("seqWriteRequestsPerCall");
    if (pwrite(fd, buf, LARGE_CALL, 0) != LARGE_CALL) {
        die("pwrite %s", seq);
    }
    settle();
    mark("randRead4kRequestsPerCall");
    if (pread(fd, buf, PAGE, 3 * PAGE) != PAGE) {
        die("pread %s", seq);
    }
    settle();
    mark("getFileInfoRequests");
    struct stat st;
    if (fstat(fd, &st) != 0) {
        die("fstat %s: %s", seq, strerror(errno));
    }
    settle();
    mark("uncounted");
    close(fd);
    char *dir = join(mount_dir, "bench-files");
    if (mkdir(dir, 0755) != 0) {
        die("mkdir %s: %s", dir, strerror(errno));
    }
    char *f = file_path(dir, 0);
    settle();
    mark("openCloseRequests");
    open_close(seq);
    settle();
    mark("createRequests");
    create_write_close(f, buf);
    settle();
    mark("deleteRequests");
    if (unlink(f) != 0) {
        die("unlink %s: %s", f, strerror(errno));
    }
    settle();
    mark("end");
    free(f);
    free(dir);
    free(seq);
    free(buf);
}

/* reads the daemon's debug log of a --mark-requests run and prints each marked operation's requests:
 * the "unique:" lines between its marker's LOOKUP and the next marker's, neither marker counted */
static void report_requests(const char *log)
{
    FILE *f = fopen(log, "r");
    if (f == NULL) {
        die("open %s: %s", log, strerror(errno));
    }
    long counts[N_COUNTED];
    int seen[N_COUNTED] = { 0 };
    int current = -1; /* index into COUNTED of the piece being counted; -1 before the first marker or in an uncounted one */
    int in_piece = 0;
    long requests = 0;
    char line[4096];
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "unique: ", 8) == 0) {
            requests++;
            continue;
        }
        const char *m = strstr(line, "name=" MARK_PREFIX);
        if (m == NULL) {
            continue;
        }
        /* the marker's own LOOKUP was the last "unique:" line: it belongs to neither piece */
        if (in_piece && current >= 0) {
            counts[current] = requests - 1;
            seen[current] = 1;
        }
        m += strlen("name=" MARK_PREFIX);
        size_t len = strcspn(m, ")\n");
        current = -1;
        for (size_t k = 0; k < N_COUNTED; k++) {
            if (strlen(COUNTED[k]) == len && strncmp(m, COUNTED[k], len) == 0) {
                current = (int) k;
            }
        }
        in_piece = 1;
        requests = 0;
    }
    fclose(f);
    for (size_t k = 0; k < N_COUNTED; k++) {
        if (!seen[k]) {
            die("%s has no requests of %s: was it the -d log of a --mark-requests run?", log, COUNTED[k]);
        }
        json_long(COUNTED[k], counts[k]);
    }
}

/* ------------------------------------------------------------------ main */

static long parse_count(const char *opt, const char *v)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno != 0 || *end != '\0' || n < 1 || n > 100000000) {
        die("%s wants a whole number from 1 to 100000000, not '%s'", opt, v);
    }
    return n;
}

int main(int argc, char **argv)
{
    struct sizes s = { 256, 10000, 10000, 100000, 10000, 100000 };
    const char *daemon = "unknown";
    int mark_only = 0;
    const char *requests_log = NULL;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "--mark-requests") == 0) {
            mark_only = 1;
            continue;
        }
        if (i + 1 >= argc) {
            die("%s needs a value", opt);
        }
        const char *v = argv[++i];
        if (strcmp(opt, "--file-mib") == 0) {
            s.file_mib = parse_count(opt, v);
        } else if (strcmp(opt, "--files") == 0) {
            s.files = parse_count(opt, v);
        } else if (strcmp(opt, "--samples") == 0) {
            s.samples = parse_count(opt, v);
        } else if (strcmp(opt, "--random-reads") == 0) {
            s.random_reads = parse_count(opt, v);
        } else if (strcmp(opt, "--requests-log") == 0) {
            requests_log = v;
        } else if (strcmp(opt, "--daemon") == 0) {
            daemon = v;
        } else if (strcmp(opt, "--list-entries") == 0) {
            const char *comma = strchr(v, ',');
            if (comma == NULL) {
                die("--list-entries wants two counts, e.g. 10000,100000");
            }
            char first[32];
            snprintf(first, sizeof first, "%.*s", (int) (comma - v), v);
            s.small_listing = parse_count(opt, first);
            s.large_listing = parse_count(opt, comma + 1);
        } else {
            die("unknown option %s", opt);
        }
    }
    if (argc - i != 2) {
        die("usage: kernelbench [--file-mib N] [--files N] [--list-entries A,B] [--samples N] "
            "[--random-reads N] [--daemon TEXT] [--mark-requests | --requests-log FILE] MOUNT SOURCE");
    }
    mount_dir = argv[i];
    source_dir = argv[i + 1];
    counting = requests_log != NULL;
    if (mark_only) {
        mark_requests();
        return 0;
    }
    json_string("daemon", daemon);
    sequential(&s);
    latencies(&s);
    create_and_delete(&s);
    listing("list10kEntriesPerSec", "list10kStatEntriesPerSec", "bench-list-small", s.small_listing);
    listing("list100kEntriesPerSec", "list100kStatEntriesPerSec", "bench-list-large", s.large_listing);
    if (requests_log != NULL) {
        report_requests(requests_log);
    }
    json_long("fileBytes", s.file_mib * MIB);
    json_long("files", s.files);
    json_long("list10kEntries", s.small_listing);
    json_long("list100kEntries", s.large_listing);
    json_long("latencySamples", s.samples);
    json_long("randomReads", s.random_reads);
    json_failures();
    json_end();
    if (n_failures > 0) {
        for (int f = 0; f < n_failures; f++) {
            fprintf(stderr, "kernelbench: FAILED %s\n", failures[f]);
        }
        return 4;
    }
    return 0;
}
