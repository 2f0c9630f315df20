// SSE load generator for bench/events.sh: N streams on /v1/stream in one process with epoll, so that the
// load generator costs little CPU beside the server on the same 2 cores (Python asyncio clients cost more than
// the server's own fan-out at 10,000 streams). Prints {"ready", "failed", "arrivals": {pass_id: [t, ...]}} with
// CLOCK_MONOTONIC seconds (the clock of Python's time.monotonic, comparable across processes).
//
//   sse_load PORT KEY CLIENTS EVENTS WORKDIR INDEX
// writes WORKDIR/ready-INDEX once every stream has answered, and ends when every stream has had EVENTS events
// or WORKDIR/done exists.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct { int fd; int state; int got; size_t len; char buf[8192]; } conn_t;  // state: 0 head, 1 body, 2 failed
typedef struct { char id[64]; double t; } arrival_t;

static double now(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec + ts.tv_nsec / 1e9; }

int main(int argc, char **argv) {
  if (argc != 7) { fprintf(stderr, "usage: sse_load PORT KEY CLIENTS EVENTS WORKDIR INDEX\n"); return 2; }
  int port = atoi(argv[1]), clients = atoi(argv[3]), events = atoi(argv[4]);
  const char *key = argv[2], *work = argv[5], *index = argv[6];
  char ready_path[4096], done_path[4096], request[1024];
  snprintf(ready_path, sizeof ready_path, "%s/ready-%s", work, index);
  snprintf(done_path, sizeof done_path, "%s/done", work);
  int rlen = snprintf(request, sizeof request,
                      "GET /v1/stream?types=pass.completed HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", key);
  conn_t *c = calloc(clients, sizeof *c);
  size_t cap = (size_t)clients * events + 16, n = 0;
  arrival_t *arr = malloc(cap * sizeof *arr);
  int ep = epoll_create1(0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  for (int i = 0; i < clients; i++) {
    c[i].fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c[i].fd < 0 || connect(c[i].fd, (struct sockaddr *)&addr, sizeof addr) != 0) { c[i].state = 2; continue; }
    if (write(c[i].fd, request, rlen) != rlen) { c[i].state = 2; continue; }
    fcntl(c[i].fd, F_SETFL, O_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev);
  }
  int ready = 0, failed = 0, finished = 0, announced = 0;
  for (int i = 0; i < clients; i++) if (c[i].state == 2) failed++;
  struct epoll_event evs[512];
  for (;;) {
    if (!announced && ready + failed == clients) {
      FILE *f = fopen(ready_path, "w"); if (f) { fprintf(f, "%d", ready); fclose(f); }
      announced = 1;
    }
    if (announced && (finished == ready || access(done_path, F_OK) == 0)) break;
    int k = epoll_wait(ep, evs, 512, 100);
    double t = now();
    for (int e = 0; e < k; e++) {
      conn_t *x = &c[evs[e].data.u32];
      for (;;) {
        ssize_t r = read(x->fd, x->buf + x->len, sizeof x->buf - 1 - x->len);
        if (r <= 0) {
          if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            if (x->state == 0) { x->state = 2; failed++; }
            epoll_ctl(ep, EPOLL_CTL_DEL, x->fd, NULL); close(x->fd);
          }
          break;
        }
        x->len += (size_t)r; x->buf[x->len] = 0;
        if (x->state == 0) {
          char *end = strstr(x->buf, "\r\n\r\n");
          if (!end) continue;
          if (strncmp(x->buf, "HTTP/1.1 200", 12) != 0) { x->state = 2; failed++; break; }
          x->state = 1; ready++;
          size_t rest = x->len - (size_t)(end + 4 - x->buf);
          memmove(x->buf, end + 4, rest); x->len = rest; x->buf[x->len] = 0;
        }
        // Every complete data line holds one event: record its pass id.
        char *p = x->buf, *line;
        while ((line = strstr(p, "\ndata: ")) != NULL) {
          char *nl = strchr(line + 7, '\n');
          if (!nl) break;
          char *id = strstr(line + 7, "\"pass_id\":\"");
          if (id && id < nl && x->got < events) {
            id += 11;
            char *q = strchr(id, '"');
            if (q && q < nl && n < cap) {
              size_t l = (size_t)(q - id) < 63 ? (size_t)(q - id) : 63;
              memcpy(arr[n].id, id, l); arr[n].id[l] = 0; arr[n].t = t; n++;
              if (++x->got == events) finished++;
            }
          }
          p = nl;
        }
        size_t used = (size_t)(p - x->buf);
        memmove(x->buf, p, x->len - used); x->len -= used; x->buf[x->len] = 0;
      }
    }
  }
  printf("{\"ready\": %d, \"failed\": %d, \"arrivals\": {", ready, failed);
  // Group by pass id (events are few): one list per id.
  int first = 1;
  for (size_t i = 0; i < n; i++) {
    if (arr[i].id[0] == 0) continue;
    printf("%s\"%s\": [", first ? "" : ", ", arr[i].id); first = 0;
    char id[64]; strcpy(id, arr[i].id);
    int lead = 1;
    for (size_t j = i; j < n; j++) {
      if (strcmp(arr[j].id, id) != 0) continue;
      printf("%s%.6f", lead ? "" : ", ", arr[j].t); lead = 0; arr[j].id[0] = 0;
    }
    printf("]");
  }
  printf("}}\n");
  return 0;
}
