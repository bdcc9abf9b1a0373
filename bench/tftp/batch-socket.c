/*
 * UDP sockets for Node whose datagrams reach JS in batches: the least a TFTP server in JS could spend
 * per datagram if it were not held to node:dgram's one syscall and one JS callback per datagram.
 * Measured as a floor beside node:dgram's and the C one (bench/tftp/bench.mjs compiles it with gcc:
 * gcc -shared -fPIC -O2 -I/usr/include/node). IPv4 only, datagrams up to SLOT_BYTES, nothing else.
 *
 * Readiness comes from Node's own loop: a uv_poll_t per socket (level-triggered), whose callback
 * reads what is queued with one recvmmsg into a shared receive area; a uv_check_t, run once per loop
 * turn after the poll phase, then makes ONE JS call for everything read in that turn, across all
 * sockets. JS writes its answers into a shared send area and hands them over in one call; runs of
 * one socket leave in one sendmmsg.
 *
 * JS API (bench/tftp/batch-socket.mjs wraps it):
 *   init(onBatch)           -> { rx, rxMeta, tx, txMeta } ArrayBuffers; onBatch(count) per loop turn
 *   open(address, port)     -> [id, port]   a socket bound to an IPv4 address (port 0: any)
 *   send(count)             -> datagrams handed to the kernel (fewer when its queue is full: UDP loss)
 *   close(id)
 * Meta: 4 int32 per slot: socket id, length, peer port, peer IPv4 address (host order). An id is
 * the socket's index (low 16 bits) and a count of opens (high bits): a socket opened in a freed
 * index has another id, so datagrams read for or queued by the closed one never reach or use it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#define SLOTS 1024      /* datagrams per JS call, each way */
#define SLOT_BYTES 2048 /* blksize 1468 + 4 fits; larger datagrams are dropped (MSG_TRUNC) */
#define META 4
#define INDEXES 65536   /* sockets open at once: an id's low 16 bits */

typedef struct Group Group;
typedef struct {
  uv_poll_t poll; /* first: the handle's address is the socket's */
  int fd, id;
  Group *group;
} Socket;

struct Group {
  napi_env env;
  napi_ref on_batch;
  napi_async_context async;
  uv_check_t check;
  Socket **sockets; /* by index; NULL when closed */
  int capacity, received, opened;
  unsigned char *rx, *tx;
  int32_t *rx_meta, *tx_meta;
  struct mmsghdr rx_msgs[SLOTS], tx_msgs[SLOTS];
  struct iovec rx_iov[SLOTS], tx_iov[SLOTS];
  struct sockaddr_in rx_from[SLOTS], tx_to[SLOTS];
};

/* Every failure reaches JS as an Error with code ERR_BATCH_SOCKET (a pending one is kept). */
#define THROW(message) return fail(env, message)
#define CHECK(call) do { if ((call) != napi_ok) THROW(#call " failed"); } while (0)

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, "ERR_BATCH_SOCKET", message);
  return NULL;
}

static napi_value throw_errno(napi_env env, const char *what) {
  char message[160];
  snprintf(message, sizeof message, "%s: %s", what, strerror(errno));
  return fail(env, message);
}

/* The call's first `count` arguments; false (an Error thrown) when fewer came. */
static bool arguments(napi_env env, napi_callback_info info, size_t count, napi_value *argv) {
  size_t argc = count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc >= count) return true;
  return fail(env, "missing arguments"), false;
}

static Group *group_of(napi_env env) {
  Group *group = NULL;
  if (napi_get_instance_data(env, (void **)&group) != napi_ok || !group) fail(env, "init() first");
  return group;
}

/* Poll phase: read what this socket holds into free slots. Whatever does not fit stays queued and,
 * the poll being level-triggered, is read on the next turn. */
static void on_readable(uv_poll_t *poll, int status, int events) {
  Socket *socket = (Socket *)poll;
  Group *group = socket->group;
  const int first = group->received, room = SLOTS - first;
  (void)events;
  if (status < 0 || room == 0) return; /* status < 0: the fd failed; its datagrams stay unread */
  const int n = recvmmsg(socket->fd, group->rx_msgs + first, room, MSG_DONTWAIT, NULL);
  /* n < 0: EAGAIN, or an error left by ICMP for an earlier send: nothing to deliver. */
  for (int i = first; i < first + n; i++) {
    struct msghdr *header = &group->rx_msgs[i].msg_hdr;
    int32_t *meta = group->rx_meta + i * META;
    header->msg_namelen = sizeof group->rx_from[i]; /* for the slot's next use */
    meta[0] = socket->id;
    meta[1] = header->msg_flags & MSG_TRUNC ? -1 : (int32_t)group->rx_msgs[i].msg_len; /* -1: dropped */
    meta[2] = ntohs(group->rx_from[i].sin_port);
    meta[3] = (int32_t)ntohl(group->rx_from[i].sin_addr.s_addr);
  }
  if (n > 0) group->received += n;
}

/* Check phase, once per loop turn: one JS call for the turn's datagrams (batch-socket.mjs sends the
 * answers at its end); napi_make_callback runs process.nextTick's and promises' callbacks after it. */
static void on_check(uv_check_t *check) {
  Group *group = check->data;
  napi_env env = group->env;
  if (group->received == 0) return;
  const int count = group->received;
  group->received = 0;
  napi_handle_scope scope;
  napi_value callback, global, argument, exception;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  if (napi_get_reference_value(env, group->on_batch, &callback) == napi_ok &&
      napi_get_global(env, &global) == napi_ok && napi_create_int32(env, count, &argument) == napi_ok &&
      napi_make_callback(env, group->async, global, callback, 1, &argument, NULL) == napi_pending_exception &&
      napi_get_and_clear_last_exception(env, &exception) == napi_ok)
    napi_fatal_exception(env, exception); /* as an exception in a dgram 'message' handler would be */
  napi_close_handle_scope(env, scope);
}

static napi_value arraybuffer(napi_env env, size_t bytes, void **data) {
  napi_value value;
  napi_ref keep; /* the group writes into it for the life of the process */
  CHECK(napi_create_arraybuffer(env, bytes, data, &value));
  CHECK(napi_create_reference(env, value, 1, &keep));
  return value;
}

static struct msghdr slot(struct sockaddr_in *address, struct iovec *iov) {
  return (struct msghdr){.msg_name = address, .msg_namelen = sizeof *address, .msg_iov = iov, .msg_iovlen = 1};
}

static napi_value init(napi_env env, napi_callback_info info) {
  napi_value argv[1], result, value, name;
  napi_valuetype type;
  uv_loop_t *loop;
  Group *group = NULL;
  if (!arguments(env, info, 1, argv)) return NULL;
  if (napi_typeof(env, argv[0], &type) != napi_ok || type != napi_function)
    THROW("init(onBatch): onBatch must be a function");
  CHECK(napi_get_instance_data(env, (void **)&group));
  if (group) THROW("init() was called already");
  if (!(group = calloc(1, sizeof *group))) THROW("out of memory");
  group->env = env;
  CHECK(napi_set_instance_data(env, group, NULL, NULL));
  CHECK(napi_create_reference(env, argv[0], 1, &group->on_batch));
  CHECK(napi_create_string_utf8(env, "netops.batchSocket", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_async_init(env, NULL, name, &group->async));
  CHECK(napi_create_object(env, &result));
  const struct { const char *key; size_t bytes; void **data; } areas[] = {
      {"rx", SLOTS * SLOT_BYTES, (void **)&group->rx},
      {"tx", SLOTS * SLOT_BYTES, (void **)&group->tx},
      {"rxMeta", SLOTS * META * sizeof(int32_t), (void **)&group->rx_meta},
      {"txMeta", SLOTS * META * sizeof(int32_t), (void **)&group->tx_meta}};
  for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
    if (!(value = arraybuffer(env, areas[i].bytes, areas[i].data))) return NULL;
    CHECK(napi_set_named_property(env, result, areas[i].key, value));
  }
  /* The slots never move: their iovecs and address buffers are set once. */
  for (int i = 0; i < SLOTS; i++) {
    group->rx_iov[i] = (struct iovec){group->rx + i * SLOT_BYTES, SLOT_BYTES};
    group->tx_iov[i].iov_base = group->tx + i * SLOT_BYTES;
    group->rx_msgs[i].msg_hdr = slot(&group->rx_from[i], &group->rx_iov[i]);
    group->tx_msgs[i].msg_hdr = slot(&group->tx_to[i], &group->tx_iov[i]);
  }
  CHECK(napi_get_uv_event_loop(env, &loop));
  group->check.data = group;
  if (uv_check_init(loop, &group->check) != 0 || uv_check_start(&group->check, on_check) != 0)
    THROW("uv_check_init/start failed");
  uv_unref((uv_handle_t *)&group->check); /* the sockets keep the loop alive, not the check */
  return result;
}

static void closed(uv_handle_t *handle) {
  Socket *socket = (Socket *)handle;
  close(socket->fd); /* only now: libuv must not see the fd reused while it still watches it */
  free(socket);
}

static napi_value open_socket(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  char address[64];
  uint32_t port;
  Group *group = group_of(env);
  if (!group || !arguments(env, info, 2, argv)) return NULL;
  if (napi_get_value_string_utf8(env, argv[0], address, sizeof address, NULL) != napi_ok ||
      napi_get_value_uint32(env, argv[1], &port) != napi_ok || port > 65535)
    THROW("open(address, port): an IPv4 address string and a port");
  struct sockaddr_in bound = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  socklen_t length = sizeof bound;
  if (inet_pton(AF_INET, address, &bound.sin_addr) != 1) THROW("open(): not an IPv4 address");
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket");
  if (bind(fd, (struct sockaddr *)&bound, length) < 0 ||
      getsockname(fd, (struct sockaddr *)&bound, &length) < 0)
    return throw_errno(env, "bind"), close(fd), NULL;
  int index = 0;
  while (index < group->capacity && group->sockets[index]) index++;
  if (index == INDEXES) return close(fd), fail(env, "open(): 65536 sockets are open already");
  if (index == group->capacity) {
    const int capacity = group->capacity ? group->capacity * 2 : 64;
    Socket **grown = realloc(group->sockets, capacity * sizeof *grown);
    if (!grown) return close(fd), fail(env, "out of memory");
    memset(grown + group->capacity, 0, (capacity - group->capacity) * sizeof *grown);
    group->sockets = grown;
    group->capacity = capacity;
  }
  Socket *socket = calloc(1, sizeof *socket);
  uv_loop_t *loop;
  if (!socket || napi_get_uv_event_loop(env, &loop) != napi_ok ||
      uv_poll_init_socket(loop, &socket->poll, fd) != 0)
    return free(socket), close(fd), fail(env, "uv_poll_init_socket failed");
  socket->fd = fd;
  socket->id = (group->opened++ & 0x7fff) << 16 | index;
  socket->group = group;
  if (uv_poll_start(&socket->poll, UV_READABLE, on_readable) != 0)
    return uv_close((uv_handle_t *)&socket->poll, closed), fail(env, "uv_poll_start failed");
  group->sockets[index] = socket;
  napi_value pair[2]; /* [id, port] */
  CHECK(napi_create_int32(env, socket->id, &pair[0]));
  CHECK(napi_create_uint32(env, ntohs(bound.sin_port), &pair[1]));
  CHECK(napi_create_array_with_length(env, 2, &result));
  for (uint32_t i = 0; i < 2; i++) CHECK(napi_set_element(env, result, i, pair[i]));
  return result;
}

static Socket *socket_of(Group *group, int32_t id) {
  Socket *socket = id >= 0 && (id & 0xffff) < group->capacity ? group->sockets[id & 0xffff] : NULL;
  return socket && socket->id == id ? socket : NULL;
}

static napi_value send_batch(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  int32_t count;
  Group *group = group_of(env);
  if (!group || !arguments(env, info, 1, argv)) return NULL;
  if (napi_get_value_int32(env, argv[0], &count) != napi_ok || count < 0 || count > SLOTS)
    THROW("send(count): count of slots, 0 to 1024");
  int sent = 0;
  for (int first = 0, end; first < count; first = end) {
    const int32_t id = group->tx_meta[first * META];
    Socket *socket = socket_of(group, id);
    for (end = first; end < count && group->tx_meta[end * META] == id; end++) {
      const int32_t *meta = group->tx_meta + end * META;
      if (meta[1] < 0 || meta[1] > SLOT_BYTES) THROW("send(): a slot's length is out of range");
      group->tx_iov[end].iov_len = (size_t)meta[1];
      group->tx_to[end] = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons((uint16_t)meta[2]),
                                              .sin_addr.s_addr = htonl((uint32_t)meta[3])};
    }
    for (int at = first; socket && at < end;) { /* a socket closed since: its datagrams are lost */
      const int n = sendmmsg(socket->fd, group->tx_msgs + at, end - at, MSG_DONTWAIT);
      if (n > 0) {
        at += n;
        sent += n;
      } else if (errno == EAGAIN || errno == ENOBUFS || errno == ECONNREFUSED) {
        break; /* the rest of this run is lost, as UDP may lose it; TFTP retransmits */
      } else {
        return throw_errno(env, "sendmmsg");
      }
    }
  }
  CHECK(napi_create_int32(env, sent, &result));
  return result;
}

static napi_value close_socket(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t id;
  Group *group = group_of(env);
  if (!group || !arguments(env, info, 1, argv)) return NULL;
  if (napi_get_value_int32(env, argv[0], &id) != napi_ok) THROW("close(id): a socket id");
  Socket *socket = socket_of(group, id);
  if (!socket) THROW("close(id): no open socket with that id");
  group->sockets[id & 0xffff] = NULL;
  uv_close((uv_handle_t *)&socket->poll, closed);
  return NULL;
}

#define METHOD(name, function) {name, NULL, function, NULL, NULL, NULL, napi_enumerable, NULL}
NAPI_MODULE_INIT() {
  const napi_property_descriptor methods[] = {METHOD("init", init), METHOD("open", open_socket),
                                              METHOD("send", send_batch), METHOD("close", close_socket)};
  CHECK(napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods));
  return exports;
}
