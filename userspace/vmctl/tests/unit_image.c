// SPDX-License-Identifier: GPL-2.0
/*
 * Guest images: read whole, refused when larger than the limit or empty
 * before anything is sent, and written in full over short writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "image.h"

/* A temporary file of @size bytes 0, 1, 2...; its path in @path. */
static void make_file(char *path, size_t size)
{
	unsigned char byte;
	size_t i;
	int fd;

	strcpy(path, "/tmp/vmctl-unit-image-XXXXXX");
	fd = mkstemp(path);
	for (i = 0; i < size; i++) {
		byte = i;
		if (write(fd, &byte, 1) != 1)
			abort();
	}
	close(fd);
}

TEST(reads_a_file_up_to_the_limit)
{
	struct image img;
	char path[64], why[256];

	make_file(path, 100);
	ASSERT_EQ(0, image_read(path, 100, &img, why, sizeof(why)))
		TH_LOG("%s", why);
	ASSERT_EQ(100U, img.size);
	ASSERT_EQ(99, ((unsigned char *)img.data)[99]);
	image_free(&img);
	unlink(path);
}

TEST(refuses_a_file_over_the_limit)
{
	struct image img;
	char path[64], why[256], want[320];

	make_file(path, 101);
	ASSERT_EQ(-1, image_read(path, 100, &img, why, sizeof(why)));
	snprintf(want, sizeof(want),
		 "%s: larger than 100 bytes (0 MiB), the largest image splitvisor takes",
		 path);
	ASSERT_STREQ(want, why);
	image_free(&img);
	unlink(path);
}

TEST(refuses_a_pipe_over_the_limit)
{
	struct image img;
	char why[256];
	int fds[2], saved;

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(11, write(fds[1], "0123456789a", 11));
	close(fds[1]);
	saved = dup(0);
	dup2(fds[0], 0);
	close(fds[0]);
	ASSERT_EQ(-1, image_read("-", 10, &img, why, sizeof(why)));
	dup2(saved, 0);
	close(saved);
	ASSERT_STREQ("standard input: larger than 10 bytes (0 MiB), the largest image splitvisor takes",
		     why);
	image_free(&img);
}

TEST(reads_stdin)
{
	struct image img;
	char why[256];
	int fds[2], saved;

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(10, write(fds[1], "0123456789", 10));
	close(fds[1]);
	saved = dup(0);
	dup2(fds[0], 0);
	close(fds[0]);
	ASSERT_EQ(0, image_read("-", 10, &img, why, sizeof(why)));
	dup2(saved, 0);
	close(saved);
	ASSERT_EQ(10U, img.size);
	ASSERT_EQ(0, memcmp(img.data, "0123456789", 10));
	image_free(&img);
}

TEST(refuses_empty_and_missing_files)
{
	struct image img;
	char path[64], why[256], want[320];

	make_file(path, 0);
	ASSERT_EQ(-1, image_read(path, 100, &img, why, sizeof(why)));
	snprintf(want, sizeof(want), "%s: empty, no image to load", path);
	ASSERT_STREQ(want, why);
	image_free(&img);
	unlink(path);

	ASSERT_EQ(-1, image_read("/nonexistent/image", 100, &img, why,
				 sizeof(why)));
	ASSERT_STREQ("/nonexistent/image: No such file or directory", why);
	image_free(&img);
}

TEST(write_all_loops_over_short_writes)
{
	size_t len = 1 << 20, got = 0;
	char *data = malloc(len), *back = malloc(len);
	int fds[2];
	pid_t pid;
	ssize_t n;

	ASSERT_NE(NULL, data);
	ASSERT_NE(NULL, back);
	memset(data, 'x', len);
	data[len - 1] = 'y';
	/* a pipe takes 64 KiB at a time: the writer is cut short often */
	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(fds[0]);
		_exit(write_all(fds[1], data, len) ? 1 : 0);
	}
	close(fds[1]);
	while ((n = read(fds[0], back + got, len - got)) > 0)
		got += n;
	close(fds[0]);
	ASSERT_EQ(len, got);
	ASSERT_EQ(0, memcmp(data, back, len));
	free(data);
	free(back);
}

TEST(write_all_reports_errors)
{
	int fds[2];

	ASSERT_EQ(0, pipe(fds));
	close(fds[1]);
	/* the read end is not writable */
	ASSERT_EQ(-EBADF, write_all(fds[0], "x", 1));
	close(fds[0]);
}

TEST_HARNESS_MAIN
