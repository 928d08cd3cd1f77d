// SPDX-License-Identifier: GPL-2.0
/*
 * Compact JSON output. The writer tracks commas itself so that callers
 * emit values in any order without string building.
 */
#include <inttypes.h>

#include "json.h"

void json_init(struct json_writer *w, FILE *out)
{
	w->out = out;
	w->depth = 0;
	w->first[0] = true;
	w->after_key = false;
}

void json_write_string(FILE *out, const char *s)
{
	const unsigned char *p;

	fputc('"', out);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

/* Comma before any value or key that is not the first in its container. */
static void json_separate(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		fputc(',', w->out);
	w->first[w->depth] = false;
}

static void json_open(struct json_writer *w, char c)
{
	json_separate(w);
	fputc(c, w->out);
	if (w->depth + 1 < JSON_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void json_close(struct json_writer *w, char c)
{
	fputc(c, w->out);
	if (w->depth)
		w->depth--;
}

void json_object_begin(struct json_writer *w)
{
	json_open(w, '{');
}

void json_object_end(struct json_writer *w)
{
	json_close(w, '}');
}

void json_array_begin(struct json_writer *w)
{
	json_open(w, '[');
}

void json_array_end(struct json_writer *w)
{
	json_close(w, ']');
}

void json_key(struct json_writer *w, const char *key)
{
	json_separate(w);
	json_write_string(w->out, key);
	fputc(':', w->out);
	w->after_key = true;
}

void json_string(struct json_writer *w, const char *s)
{
	json_separate(w);
	json_write_string(w->out, s);
}

void json_uint(struct json_writer *w, uint64_t value)
{
	json_separate(w);
	fprintf(w->out, "%" PRIu64, value);
}

void json_bool(struct json_writer *w, bool value)
{
	json_separate(w);
	fputs(value ? "true" : "false", w->out);
}

void json_null(struct json_writer *w)
{
	json_separate(w);
	fputs("null", w->out);
}

void json_hex(struct json_writer *w, uint64_t value)
{
	json_separate(w);
	fprintf(w->out, "\"0x%" PRIx64 "\"", value);
}

void json_kv_string(struct json_writer *w, const char *key, const char *s)
{
	json_key(w, key);
	json_string(w, s);
}

void json_kv_uint(struct json_writer *w, const char *key, uint64_t value)
{
	json_key(w, key);
	json_uint(w, value);
}

void json_kv_bool(struct json_writer *w, const char *key, bool value)
{
	json_key(w, key);
	json_bool(w, value);
}

void json_kv_hex(struct json_writer *w, const char *key, uint64_t value)
{
	json_key(w, key);
	json_hex(w, value);
}
