/* WIP smoke test for TTP stream sockets (not a selftest). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/ttp.h>

static struct sockaddr_ttp addr(const char *ip, int port)
{
	struct sockaddr_ttp a = { .sttp_family = AF_TTP,
				  .sttp_port = htons(port) };
	inet_pton(AF_INET, ip, &a.sttp_addr);
	return a;
}

int main(int argc, char **argv)
{
	char buf[65536];
	int fd = socket(AF_TTP, SOCK_STREAM, 0), c, n, total = 0;
	struct sockaddr_ttp a;

	if (fd < 0) { perror("socket"); return 1; }
	if (!strcmp(argv[1], "server")) {	/* server IP PORT: echo, then close */
		a = addr(argv[2], atoi(argv[3]));
		if (bind(fd, (void *)&a, sizeof(a))) { perror("bind"); return 1; }
		if (listen(fd, 4)) { perror("listen"); return 1; }
		printf("listening\n"); fflush(stdout);
		c = accept(fd, NULL, NULL);
		if (c < 0) { perror("accept"); return 1; }
		while ((n = read(c, buf, sizeof(buf))) > 0) {
			total += n;
			if (write(c, buf, n) != n) { perror("write"); return 1; }
		}
		printf("server read %d bytes, EOF %d\n", total, n);
		close(c);
		close(fd);
		return 0;
	}
	/* client IP PORT BYTES */
	a = addr(argv[2], atoi(argv[3]));
	if (connect(fd, (void *)&a, sizeof(a))) {
		printf("connect: %s\n", strerror(errno));
		return 2;
	}
	int want = atoi(argv[4]), sent = 0, got = 0;
	memset(buf, 'x', sizeof(buf));
	while (sent < want) {
		n = write(fd, buf, want - sent > 4000 ? 4000 : want - sent);
		if (n <= 0) { perror("write"); return 1; }
		sent += n;
		while (got < sent) {
			n = read(fd, buf, sizeof(buf));
			if (n <= 0) { perror("read"); return 1; }
			got += n;
		}
	}
	shutdown(fd, SHUT_WR);
	n = read(fd, buf, sizeof(buf));
	printf("client sent %d got %d, EOF read %d\n", sent, got, n);
	close(fd);
	return 0;
}
