/*
 * The bare loops of bench/bare/ in C against the system's libzmq (Debian libzmq3-dev), for
 * bench/overhead.ts: two threads of one process sharing one context, over inproc, ipc or tcp.
 * Prints one JSON line.
 *
 *   zmqperf thr <inproc|ipc|tcp> <size> <warmup_ms> <duration_ms> [ipc_path]
 *     PUSH (connects) sends fresh messages as fast as it can to PULL (binds); the main thread
 *     reads the receiver's count after the warm-up and after the measured time, as
 *     bench/bare/push-pull.ts does. Prints msgsPerSec.
 *   zmqperf lat <inproc|ipc|tcp> <size> <warmup_ms> <duration_ms> [ipc_path]
 *     REQ (connects) sends one request at a time to REP (binds), which sends it back; each round
 *     trip is timed with CLOCK_MONOTONIC after the warm-up. Prints p50Us, p99Us, meanUs.
 *
 *   zmqperf version
 *     Prints the libzmq version it runs against.
 *
 * Build: gcc -O2 -o zmqperf zmqperf.c -lzmq -lpthread
 */
#include <zmq.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>

static void *ctx;
static char bind_addr[256];
static char connect_addr[256];
static size_t size;
static long warmup_ms, duration_ms;

static atomic_int stop_flag;
static atomic_long received;
static atomic_int bound;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
  }
}

static void die(const char *what) {
  fprintf(stderr, "zmqperf: %s: %s\n", what, zmq_strerror(zmq_errno()));
  exit(1);
}

static void *bind_socket(int type) {
  void *s = zmq_socket(ctx, type);
  if (!s) die("zmq_socket");
  int zero = 0;
  zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
  if (zmq_bind(s, bind_addr) != 0) die("zmq_bind");
  size_t len = sizeof connect_addr;
  if (zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, connect_addr, &len) != 0) die("ZMQ_LAST_ENDPOINT");
  atomic_store(&bound, 1);
  return s;
}

static void *connect_socket(int type) {
  while (!atomic_load(&bound)) sleep_ms(1);
  void *s = zmq_socket(ctx, type);
  if (!s) die("zmq_socket");
  int zero = 0;
  zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
  if (zmq_connect(s, connect_addr) != 0) die("zmq_connect");
  return s;
}

/* ---- throughput ---- */

static void *thr_receiver(void *arg) {
  void *s = arg;
  /* a receive timeout, so the loop sees the stop flag once the sender has stopped */
  int timeout = 100;
  zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
  zmq_msg_t msg;
  zmq_msg_init(&msg);
  long n = 0;
  for (;;) {
    int rc = zmq_msg_recv(&msg, s, 0);
    if (rc < 0) {
      if (zmq_errno() == EAGAIN && atomic_load(&stop_flag) == 2) break;
      if (zmq_errno() == EAGAIN || zmq_errno() == EINTR) continue;
      die("zmq_msg_recv");
    }
    if ((size_t)rc != size) {
      fprintf(stderr, "zmqperf: message of %d bytes, expected %zu\n", rc, size);
      exit(1);
    }
    atomic_store_explicit(&received, ++n, memory_order_relaxed);
  }
  zmq_msg_close(&msg);
  zmq_close(s);
  return NULL;
}

static long sent_total;

static void *thr_sender(void *arg) {
  (void)arg;
  void *s = connect_socket(ZMQ_PUSH);
  long n = 0;
  while (!atomic_load_explicit(&stop_flag, memory_order_relaxed)) {
    zmq_msg_t msg; /* a fresh message each time, as remote_thr does */
    if (zmq_msg_init_size(&msg, size) != 0) die("zmq_msg_init_size");
    memset(zmq_msg_data(&msg), 0, size);
    if (zmq_msg_send(&msg, s, 0) < 0) {
      if (zmq_errno() == EINTR) {
        zmq_msg_close(&msg);
        continue;
      }
      die("zmq_msg_send");
    }
    n++;
  }
  sent_total = n;
  zmq_close(s);
  return NULL;
}

static int run_thr(const char *transport) {
  void *pull = bind_socket(ZMQ_PULL);
  pthread_t rt, st;
  pthread_create(&rt, NULL, thr_receiver, pull);
  pthread_create(&st, NULL, thr_sender, NULL);
  sleep_ms(warmup_ms);
  long c0 = atomic_load(&received);
  uint64_t t0 = now_ns();
  sleep_ms(duration_ms);
  long c1 = atomic_load(&received);
  uint64_t t1 = now_ns();
  /* the sender stops first (it may be blocked at the HWM until the receiver reads on) */
  atomic_store(&stop_flag, 1);
  pthread_join(st, NULL);
  atomic_store(&stop_flag, 2);
  pthread_join(rt, NULL);
  double seconds = (double)(t1 - t0) / 1e9;
  int major, minor, patch;
  zmq_version(&major, &minor, &patch);
  printf("{\"pattern\":\"push-pull\",\"transport\":\"%s\",\"sizeBytes\":%zu,\"msgsPerSec\":%.1f,\"messages\":%ld,\"seconds\":%.6f,"
         "\"sent\":%ld,\"received\":%ld,\"libzmq\":\"%d.%d.%d\"}\n",
         transport, size, (double)(c1 - c0) / seconds, c1 - c0, seconds, sent_total, atomic_load(&received), major, minor, patch);
  return 0;
}

/* ---- round trip ---- */

static void *lat_server(void *arg) {
  void *s = arg;
  int timeout = 100;
  zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
  zmq_msg_t msg;
  zmq_msg_init(&msg);
  for (;;) {
    int rc = zmq_msg_recv(&msg, s, 0);
    if (rc < 0) {
      if (zmq_errno() == EAGAIN && atomic_load(&stop_flag)) break;
      if (zmq_errno() == EAGAIN || zmq_errno() == EINTR) continue;
      die("zmq_msg_recv (rep)");
    }
    if (zmq_msg_send(&msg, s, 0) < 0) die("zmq_msg_send (rep)");
  }
  zmq_msg_close(&msg);
  zmq_close(s);
  return NULL;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static uint64_t pct(const uint64_t *sorted, size_t n, double p) {
  if (n == 0) return 0;
  size_t rank = (size_t)((p / 100.0) * (double)n + 0.999999999);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return sorted[rank - 1];
}

static int run_lat(const char *transport) {
  void *rep = bind_socket(ZMQ_REP);
  pthread_t server;
  pthread_create(&server, NULL, lat_server, rep);
  void *req = connect_socket(ZMQ_REQ);
  size_t cap = 1 << 16, n = 0;
  uint64_t *samples = malloc(cap * sizeof *samples);
  if (!samples) die("malloc");
  uint64_t start = now_ns();
  uint64_t from = start + (uint64_t)warmup_ms * 1000000ull, to = from + (uint64_t)duration_ms * 1000000ull;
  zmq_msg_t reply;
  zmq_msg_init(&reply);
  for (;;) {
    uint64_t t0 = now_ns();
    if (t0 >= to) break;
    zmq_msg_t msg;
    if (zmq_msg_init_size(&msg, size) != 0) die("zmq_msg_init_size");
    memset(zmq_msg_data(&msg), 0, size);
    if (zmq_msg_send(&msg, req, 0) < 0) die("zmq_msg_send (req)");
    int rc = zmq_msg_recv(&reply, req, 0);
    if (rc < 0) die("zmq_msg_recv (req)");
    uint64_t t1 = now_ns();
    if ((size_t)rc != size) {
      fprintf(stderr, "zmqperf: reply of %d bytes, expected %zu\n", rc, size);
      exit(1);
    }
    if (t0 >= from) {
      if (n == cap) {
        cap *= 2;
        samples = realloc(samples, cap * sizeof *samples);
        if (!samples) die("realloc");
      }
      samples[n++] = t1 - t0;
    }
  }
  zmq_msg_close(&reply);
  zmq_close(req);
  atomic_store(&stop_flag, 1);
  pthread_join(server, NULL);
  qsort(samples, n, sizeof *samples, cmp_u64);
  double sum = 0;
  for (size_t i = 0; i < n; i++) sum += (double)samples[i];
  int major, minor, patch;
  zmq_version(&major, &minor, &patch);
  printf("{\"pattern\":\"req-rep\",\"transport\":\"%s\",\"sizeBytes\":%zu,\"roundTrips\":%zu,\"roundTripsPerSec\":%.1f,"
         "\"p50Us\":%.3f,\"p99Us\":%.3f,\"meanUs\":%.3f,\"libzmq\":\"%d.%d.%d\"}\n",
         transport, size, n, (double)n / ((double)duration_ms / 1000.0), (double)pct(samples, n, 50) / 1000.0,
         (double)pct(samples, n, 99) / 1000.0, n ? sum / (double)n / 1000.0 : 0.0, major, minor, patch);
  free(samples);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "version") == 0) {
    int major, minor, patch;
    zmq_version(&major, &minor, &patch);
    printf("{\"libzmq\":\"%d.%d.%d\"}\n", major, minor, patch);
    return 0;
  }
  if (argc < 6) {
    fprintf(stderr, "usage: zmqperf thr|lat inproc|ipc|tcp size warmup_ms duration_ms [ipc_path] | zmqperf version\n");
    return 2;
  }
  const char *mode = argv[1], *transport = argv[2];
  size = (size_t)strtoul(argv[3], NULL, 10);
  warmup_ms = strtol(argv[4], NULL, 10);
  duration_ms = strtol(argv[5], NULL, 10);
  if (strcmp(transport, "inproc") == 0) snprintf(bind_addr, sizeof bind_addr, "inproc://zmqperf");
  else if (strcmp(transport, "tcp") == 0) snprintf(bind_addr, sizeof bind_addr, "tcp://127.0.0.1:*");
  else if (strcmp(transport, "ipc") == 0 && argc > 6) snprintf(bind_addr, sizeof bind_addr, "ipc://%s", argv[6]);
  else {
    fprintf(stderr, "zmqperf: transport must be inproc, tcp or ipc <path>\n");
    return 2;
  }
  ctx = zmq_ctx_new();
  if (!ctx) die("zmq_ctx_new");
  int rc = strcmp(mode, "thr") == 0 ? run_thr(transport) : strcmp(mode, "lat") == 0 ? run_lat(transport) : 2;
  zmq_ctx_term(ctx);
  return rc;
}
