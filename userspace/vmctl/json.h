/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer producing compact output (no whitespace
 * between tokens), so that each report is one line for scripts.
 */
#ifndef VMCTL_JSON_H
#define VMCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json_writer {
	FILE *out;
	unsigned int depth;
	/* per open container: nothing written in it yet */
	bool first[JSON_MAX_DEPTH];
	/* a key was just written: the next value needs no comma */
	bool after_key;
};

void json_init(struct json_writer *w, FILE *out);

/* Quoted and escaped: ", \ and control characters (as \u00XX). */
void json_write_string(FILE *out, const char *s);

void json_object_begin(struct json_writer *w);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w);
void json_array_end(struct json_writer *w);
void json_key(struct json_writer *w, const char *key);

void json_string(struct json_writer *w, const char *s);
void json_uint(struct json_writer *w, uint64_t value);
void json_bool(struct json_writer *w, bool value);
void json_null(struct json_writer *w);
/* Register values as "0x..." strings: JSON numbers lose 64-bit precision. */
void json_hex(struct json_writer *w, uint64_t value);

void json_kv_string(struct json_writer *w, const char *key, const char *s);
void json_kv_uint(struct json_writer *w, const char *key, uint64_t value);
void json_kv_bool(struct json_writer *w, const char *key, bool value);
void json_kv_hex(struct json_writer *w, const char *key, uint64_t value);

#endif /* VMCTL_JSON_H */
