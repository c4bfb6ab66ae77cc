/*
 * test-json-member.c: JSON members read without trusting their types, and string members
 * written as null when absent (core/json-member.c).
 */
#include "core/json-member.h"

static JsonObject *
parse_object(JsonParser *parser, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(json_parser_load_from_data(parser, text, -1, &error));
  g_assert_no_error(error);
  return json_node_get_object(json_parser_get_root(parser));
}

/* A member of the wrong type reads as absent, never as a g_critical. */
static void
test_read_wrong_types(void)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = parse_object(parser, "{\"s\": \"text\", \"n\": 7, \"b\": true, \"a\": [1], "
                                       "\"o\": {\"s\": \"x\"}, \"z\": null}");
  g_assert_cmpstr(muster_json_str(o, "s", NULL), ==, "text");
  g_assert_cmpstr(muster_json_str(o, "n", "fallback"), ==, "fallback");
  g_assert_cmpstr(muster_json_str(o, "a", "fallback"), ==, "fallback");
  g_assert_cmpstr(muster_json_str(o, "o", "fallback"), ==, "fallback");
  g_assert_cmpstr(muster_json_str(o, "z", "fallback"), ==, "fallback");
  g_assert_cmpstr(muster_json_str(NULL, "s", "fallback"), ==, "fallback");
  g_assert_cmpint(muster_json_int_or(o, "n", -1), ==, 7);
  g_assert_cmpint(muster_json_int_or(o, "s", -1), ==, -1);
  g_assert_true(muster_json_bool_or(o, "b", FALSE));
  g_assert_true(muster_json_bool_or(o, "n", TRUE));
}

static char *
built(void (*add)(JsonBuilder *b))
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  add(b);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  return json_to_string(root, FALSE);
}

static void
add_members(JsonBuilder *b)
{
  muster_json_add_str(b, "given", "R1/A");
  muster_json_add_str(b, "empty", "");
  muster_json_add_str(b, "absent", NULL);
}

/* Absent is null, empty stays an empty string: "not recorded" is not "recorded empty". */
static void
test_add_str_null_when_absent(void)
{
  g_autofree char *text = built(add_members);
  g_assert_cmpstr(text, ==, "{\"given\":\"R1/A\",\"empty\":\"\",\"absent\":null}");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/json-member/read/wrong-types-read-as-absent", test_read_wrong_types);
  g_test_add_func("/json-member/add-str/null-when-absent", test_add_str_null_when_absent);
  return g_test_run();
}
