// SPDX-License-Identifier: GPL-2.0
/*
 * VM commands: netlink requests (netlink.c), images through the device
 * (image.c, device.c), output through vm_report.c. vmctl checked the
 * arguments already (cmdline.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <splitvisor.h>

#include "console.h"
#include "device.h"
#include "image.h"
#include "netlink.h"
#include "vm_cmds.h"
#include "vm_report.h"

/* Large (the exit reasons): kept off the stack. */
static struct sv_vm vm;

static void print_vm(const struct cmdline *cl, const struct sv_vm *v)
{
	if (cl->json)
		report_vm_json(stdout, v);
	else
		report_vm_text(stdout, v);
}

/* SPLITVISOR_CMD_VM_GET of @name into vm; 0 or -1 after saying why. */
static int get_vm(const char *name)
{
	struct vm_request req = { .name = name };
	struct query_error qe;
	bool got;

	if (sv_vm_request(SPLITVISOR_CMD_VM_GET, &req, &vm, &got, &qe) < 0) {
		print_query_error(stderr, &qe);
		return -1;
	}
	if (!got) {
		fprintf(stderr, "vmctl: the module sent nothing about vm %s\n",
			name);
		return -1;
	}
	return 0;
}

/* @file whole into @img; 0, or -1 after saying why. */
static int read_image(const char *file, struct image *img)
{
	char why[256];

	if (image_read(file, SPLITVISOR_IMAGE_MAX, img, why, sizeof(why)) < 0) {
		fprintf(stderr, "vmctl: %s\n", why);
		image_free(img);
		return -1;
	}
	return 0;
}

/*
 * What `vmctl load` does once the image is read: @img into the VM's staged
 * image through the device, then SPLITVISOR_CMD_VM_LOAD. The VM the module
 * answers with lands in vm, *@got_vm saying whether it did. Frees @img.
 * 0, or -1 after saying why.
 */
static int load_image(const char *name, struct image *img,
		      const char *cmdline, bool *got_vm)
{
	struct vm_request req = { .name = name, .cmdline = cmdline };
	struct query_error qe;
	int fd, err;

	fd = device_attach(name, SPLITVISOR_CHANNEL_IMAGE, O_WRONLY, stderr);
	if (fd < 0) {
		image_free(img);
		return -1;
	}
	err = write_all(fd, img->data, img->size);
	image_free(img);
	if (!err && close(fd))
		err = -errno;
	else if (err)
		close(fd);
	if (err) {
		fprintf(stderr, "vmctl: writing the image of vm %s: %s\n",
			name, strerror(-err));
		return -1;
	}
	if (sv_vm_request(SPLITVISOR_CMD_VM_LOAD, &req, &vm, got_vm,
			  &qe) < 0) {
		print_query_error(stderr, &qe);
		return -1;
	}
	return 0;
}

/*
 * create --image is all or nothing: the file is read before the VM is
 * made, and a VM whose image is refused is destroyed again.
 */
int cmd_create(const struct cmdline *cl)
{
	struct vm_request req = {
		.name = cl->vm_name,
		.cpus = &cl->cpus,
		.mem_size = cl->mem_size,
		.cmdline = cl->vm_cmdline,
	};
	struct vm_request destroy = { .name = cl->vm_name };
	struct query_error qe;
	struct image img;
	bool got;

	if (cl->image && read_image(cl->image, &img) < 0)
		return EXIT_ERROR;
	if (sv_vm_request(SPLITVISOR_CMD_VM_CREATE, &req, &vm, &got,
			  &qe) < 0) {
		print_query_error(stderr, &qe);
		if (cl->image)
			image_free(&img);
		return EXIT_ERROR;
	}
	if (cl->image && load_image(cl->vm_name, &img, NULL, &got) < 0) {
		if (sv_vm_request(SPLITVISOR_CMD_VM_DESTROY, &destroy, &vm,
				  &got, &qe) < 0) {
			print_query_error(stderr, &qe);
			fprintf(stderr, "vmctl: vm %s was created but its image was not loaded, and it could not be destroyed again: remove it with `vmctl destroy %s`\n",
				cl->vm_name, cl->vm_name);
		} else {
			fprintf(stderr, "vmctl: vm %s not created: its image was not loaded\n",
				cl->vm_name);
		}
		return EXIT_ERROR;
	}
	if (!got && get_vm(cl->vm_name) < 0)
		return EXIT_ERROR;
	print_vm(cl, &vm);
	return EXIT_OK;
}

int cmd_load(const struct cmdline *cl)
{
	struct image img;
	bool got;

	if (read_image(cl->file, &img) < 0 ||
	    load_image(cl->vm_name, &img, cl->vm_cmdline, &got) < 0)
		return EXIT_ERROR;
	if (cl->json && got)
		report_vm_json(stdout, &vm);
	return EXIT_OK;
}

int cmd_vm_action(const struct cmdline *cl)
{
	struct vm_request req = { .name = cl->vm_name };
	struct query_error qe;
	uint8_t cmd;
	bool got;

	switch (cl->command) {
	case CMD_START:
		cmd = SPLITVISOR_CMD_VM_START;
		break;
	case CMD_STOP:
		cmd = SPLITVISOR_CMD_VM_STOP;
		break;
	default:
		cmd = SPLITVISOR_CMD_VM_DESTROY;
		break;
	}
	if (sv_vm_request(cmd, &req, &vm, &got, &qe) < 0) {
		print_query_error(stderr, &qe);
		return EXIT_ERROR;
	}
	if (cl->json && got)
		report_vm_json(stdout, &vm);
	return EXIT_OK;
}

int cmd_list(const struct cmdline *cl)
{
	struct sv_vm_list list;
	struct query_error qe;

	if (sv_vm_list(&list, &qe) < 0) {
		print_query_error(stderr, &qe);
		vm_list_free(&list);
		return EXIT_ERROR;
	}
	if (cl->json)
		report_vm_list_json(stdout, &list);
	else
		report_vm_list_text(stdout, &list);
	vm_list_free(&list);
	return EXIT_OK;
}

int cmd_show(const struct cmdline *cl)
{
	if (get_vm(cl->vm_name) < 0)
		return EXIT_ERROR;
	print_vm(cl, &vm);
	return EXIT_OK;
}

int cmd_console(const struct cmdline *cl)
{
	fflush(stdout);
	if (console_copy(cl->vm_name, cl->follow, STDOUT_FILENO, stderr) < 0)
		return EXIT_ERROR;
	return EXIT_OK;
}
