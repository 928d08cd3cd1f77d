// SPDX-License-Identifier: GPL-2.0
/* JSON writer: string escaping and compact, comma-correct output. */
#include <string.h>

#include "kselftest_harness.h"

#include "json.h"
#include "capture.h"

static char *escaped(const char *s)
{
	struct capture c;

	json_write_string(capture_open(&c), s);
	capture_text(&c);
	return c.buf;
}

TEST(escape_plain_text_is_quoted)
{
	char *out = escaped("GenuineIntel");

	ASSERT_STREQ("\"GenuineIntel\"", out);
	free(out);
}

TEST(escape_quote_and_backslash)
{
	char *out = escaped("say \"hi\" C:\\dir");

	ASSERT_STREQ("\"say \\\"hi\\\" C:\\\\dir\"", out);
	free(out);
}

TEST(escape_control_characters_as_u00xx)
{
	char *out = escaped("a\nb\tc\x01\x1f" "d\re");

	ASSERT_STREQ("\"a\\u000ab\\u0009c\\u0001\\u001fd\\u000de\"", out);
	free(out);
}

TEST(escape_keeps_utf8_and_del)
{
	char *out = escaped("caf\xc3\xa9\x7f");

	ASSERT_STREQ("\"caf\xc3\xa9\x7f\"", out);
	free(out);
}

TEST(escape_empty_string)
{
	char *out = escaped("");

	ASSERT_STREQ("\"\"", out);
	free(out);
}

TEST(writer_is_compact_with_correct_commas)
{
	struct json_writer w;
	struct capture c;

	json_init(&w, capture_open(&c));
	json_object_begin(&w);
	json_kv_string(&w, "name", "ept");
	json_kv_uint(&w, "id", 10);
	json_kv_bool(&w, "ok", true);
	json_kv_bool(&w, "differ", false);
	json_kv_hex(&w, "raw", 0x5ULL);
	json_key(&w, "list");
	json_array_begin(&w);
	json_array_end(&w);
	json_key(&w, "objs");
	json_array_begin(&w);
	json_object_begin(&w);
	json_kv_uint(&w, "a", 1);
	json_object_end(&w);
	json_object_begin(&w);
	json_object_end(&w);
	json_string(&w, "x");
	json_null(&w);
	json_array_end(&w);
	json_kv_uint(&w, "big", 18446744073709551615ULL);
	json_object_end(&w);
	ASSERT_STREQ("{\"name\":\"ept\",\"id\":10,\"ok\":true,\"differ\":false,"
		     "\"raw\":\"0x5\",\"list\":[],\"objs\":[{\"a\":1},{},\"x\",null],"
		     "\"big\":18446744073709551615}", capture_text(&c));
	free(c.buf);
}

TEST(hex_of_full_64_bit_value)
{
	struct json_writer w;
	struct capture c;

	json_init(&w, capture_open(&c));
	json_hex(&w, 0xda0400000000000fULL);
	ASSERT_STREQ("\"0xda0400000000000f\"", capture_text(&c));
	free(c.buf);
}

TEST_HARNESS_MAIN
