/*
 * Load generator for bench/sensor (compiled by the bench with the system's cc): a paced storm of
 *   exec: new processes (posix_spawn of a tiny program, given one argument when a 6th is passed), or
 *   udp:  new connections as conntrack counts them (each datagram from a new socket, so a new source port, to
 *         one of 1,000 destination ports from PORT on in turn: a fresh tuple, so a new conntrack entry, even
 *         when the kernel's random source port repeats one of a connection still tracked),
 * at RATE per second for SECONDS. Prints how many it made. Paced in 1 ms steps; a step that falls behind is
 * made up at once, so the average rate holds as long as the machine can keep up (the count says if it could not).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: storm exec RATE SECONDS PROGRAM [ARG] | storm udp RATE SECONDS IP PORT\n");
    return 2;
  }
  const int exec_mode = strcmp(argv[1], "exec") == 0;
  const double rate = atof(argv[2]), seconds = atof(argv[3]);
  struct sockaddr_in dst;
  int port = 0;
  memset(&dst, 0, sizeof dst);
  if (!exec_mode) {
    if (argc < 6) return 2;
    dst.sin_family = AF_INET;
    port = atoi(argv[5]);
    if (inet_pton(AF_INET, argv[4], &dst.sin_addr) != 1) return 2;
  }
  signal(SIGCHLD, SIG_DFL);
  char *child_argv[] = {argv[4], exec_mode && argc > 5 ? argv[5] : NULL, NULL};
  const double start = now();
  long made = 0, failed = 0;
  for (;;) {
    const double t = now() - start;
    if (t >= seconds) break;
    const long due = (long)(t * rate);
    while (made + failed < due) {
      if (exec_mode) {
        pid_t pid;
        if (posix_spawn(&pid, argv[4], NULL, NULL, child_argv, environ) == 0) made++;
        else failed++;
      } else {
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        dst.sin_port = htons((unsigned short)(port + (made + failed) % 1000));
        if (s >= 0 && sendto(s, "x", 1, 0, (struct sockaddr *)&dst, sizeof dst) == 1) made++;
        else failed++;
        if (s >= 0) close(s);
      }
    }
    if (exec_mode)
      while (waitpid(-1, NULL, WNOHANG) > 0) {
      }
    usleep(1000);
  }
  while (exec_mode && waitpid(-1, NULL, 0) > 0) {
  }
  printf("%ld %ld %.3f\n", made, failed, now() - start);
  return 0;
}
