// SPDX-License-Identifier: GPL-2.0
/* /dev/splitvisor: a root-only misc device answering the API ioctl. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <splitvisor.h>

#include "kselftest_harness.h"
#include "sv_util.h"

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	ASSERT_EQ(0, sv_module_ensure_loaded());
	self->fd = open(SPLITVISOR_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, node_is_root_only_misc_device)
{
	struct stat st;
	char *misc, want[32];

	ASSERT_EQ(0, stat(SPLITVISOR_DEVICE_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(10, major(st.st_rdev));	/* MISC_MAJOR */

	misc = sv_read_file("/proc/misc");
	ASSERT_NE(NULL, misc);
	snprintf(want, sizeof(want), "%u splitvisor\n", minor(st.st_rdev));
	EXPECT_NE(NULL, strstr(misc, want));
	free(misc);
}

TEST_F(dev, api_version_ioctl)
{
	__u32 version = 0xdeadbeef;

	ASSERT_EQ(0, ioctl(self->fd, SPLITVISOR_IOC_API_VERSION, &version));
	EXPECT_EQ(SPLITVISOR_API_VERSION, version);
}

TEST_F(dev, api_version_ioctl_bad_pointer)
{
	EXPECT_EQ(-1, ioctl(self->fd, SPLITVISOR_IOC_API_VERSION, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(dev, unknown_ioctls_get_enotty)
{
	unsigned long bad[] = {
		_IOR(SPLITVISOR_IOC_MAGIC, 0x7f, __u32),  /* unknown nr */
		_IOW(SPLITVISOR_IOC_MAGIC, 0x00, __u32),  /* wrong direction */
		_IOR(SPLITVISOR_IOC_MAGIC, 0x00, __u64),  /* wrong size */
		_IOR('k', 0x00, __u32),			  /* other magic */
		0,
	};
	__u64 buf = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, bad[i], &buf))
			TH_LOG("ioctl %#lx", bad[i]);
		EXPECT_EQ(ENOTTY, errno) TH_LOG("ioctl %#lx", bad[i]);
	}
}

TEST_F(dev, not_seekable)
{
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
}

TEST(unprivileged_open_is_refused)
{
	int status;
	pid_t pid;

	ASSERT_EQ(0, sv_module_ensure_loaded());
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgid(SV_NOBODY_UID) || setuid(SV_NOBODY_UID))
			_exit(2);
		if (open(SPLITVISOR_DEVICE_PATH, O_RDWR) >= 0)
			_exit(3);
		_exit(errno == EACCES ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
