/*
 * The least a TFTP server written in C spends per packet on this machine: COUNT UDP sockets on
 * 127.0.0.1 (one per transfer, as TFTP's transfer IDs require), each answering every datagram with a
 * 4-byte ACK, driven by epoll; one recvfrom and one sendto per datagram, nothing parsed or kept.
 * bench/tftp/bench.mjs compiles it with gcc and sends it the same lock-step uploads as Node's floor.
 *   c-floor COUNT SIZE   prints the ports (JSON) on stdout, waits for every upload's datagrams
 *                        (WRQ + SIZE/512+1 blocks each), then prints {"cpu":us,"minorFaults":n} on stderr
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: c-floor COUNT SIZE\n");
    return 2;
  }
  const int count = atoi(argv[1]);
  const int exchanges = atoi(argv[2]) / 512 + 2;
  const int poll = epoll_create1(0);
  int *sockets = calloc(count, sizeof *sockets);
  int *seen = calloc(count, sizeof *seen);
  if (poll < 0 || !sockets || !seen) return 1;
  printf("[");
  for (int i = 0; i < count; i++) {
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    const int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (s < 0 || bind(s, (struct sockaddr *)&address, length) < 0 ||
        getsockname(s, (struct sockaddr *)&address, &length) < 0)
      return 1;
    struct epoll_event event = {.events = EPOLLIN, .data.u32 = (unsigned)i};
    if (epoll_ctl(poll, EPOLL_CTL_ADD, s, &event) < 0) return 1;
    sockets[i] = s;
    printf("%s%d", i ? "," : "", ntohs(address.sin_port));
  }
  printf("]\n");
  fflush(stdout);
  unsigned char datagram[2048];
  const unsigned char ack[4] = {0, 4, 0, 0};
  struct epoll_event ready[256];
  for (int left = count; left > 0;) {
    const int n = epoll_wait(poll, ready, 256, -1);
    for (int k = 0; k < n; k++) {
      const int i = (int)ready[k].data.u32;
      struct sockaddr_in from;
      socklen_t length = sizeof from;
      while (recvfrom(sockets[i], datagram, sizeof datagram, 0, (struct sockaddr *)&from, &length) >= 0) {
        sendto(sockets[i], ack, sizeof ack, 0, (struct sockaddr *)&from, length);
        if (++seen[i] == exchanges) left--;
        length = sizeof from;
      }
    }
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  fprintf(stderr, "{\"cpu\":%ld,\"minorFaults\":%ld}\n",
          (long)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000L + usage.ru_utime.tv_usec +
              usage.ru_stime.tv_usec,
          usage.ru_minflt);
  return 0;
}
