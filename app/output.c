/*
 * output.c: see output.h.
 *
 * The stream filter is a glibc cookie stream in front of the stream it replaces: printf(),
 * g_printerr() and every other writer keep working unchanged, and no command has to
 * remember to escape what it quotes. It is byte-level, so it cannot tell a legitimate
 * newline from one inside a field; tab and newline pass, everything else that moves
 * the cursor, changes the terminal's state or reorders text does not.
 */
#define _GNU_SOURCE
#include "app/output.h"
#include "app/cli.h"

#include <string.h>
#include <unistd.h>

/* The Unicode code points that reorder the text around them (Trojan Source, CVE-2021-
 * 42574): embeddings, overrides and isolates. Marks such as U+200F stay: translations
 * use them. */
static gboolean
is_bidi_control(gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

gsize
output_escape_controls(GString *out, const char *text, gsize len, gboolean more)
{
  gsize i = 0;
  while (i < len) {
    guchar b = (guchar)text[i];
    if (b < 0x80) {
      if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7F)
        g_string_append_printf(out, "\\u%04X", b);
      else
        g_string_append_c(out, (char)b);
      i++;
      continue;
    }
    gunichar c = g_utf8_get_char_validated(text + i, (gssize)(len - i));
    if (c == (gunichar)-2 && more)
      break; /* the rest of the character comes with the next write */
    if (c == (gunichar)-1 || c == (gunichar)-2) {
      g_string_append_printf(out, "\\x%02X", b);
      i++;
      continue;
    }
    gsize n = (gsize)(g_utf8_next_char(text + i) - (text + i));
    if (c <= 0x9F || is_bidi_control(c))
      g_string_append_printf(out, "\\u%04X", c);
    else
      g_string_append_len(out, text + i, (gssize)n);
    i += n;
  }
  return i;
}

typedef struct {
  FILE *raw;       /* the stream the filter replaced, which writes to the descriptor */
  char pending[4]; /* the start of a character split between two writes */
  gsize n_pending;
} Guard;

/* Writes through: at exit, stdio may flush the raw stream before the filter. */
static gboolean
write_raw(FILE *raw, const char *data, gsize len)
{
  return fwrite(data, 1, len, raw) == len && fflush(raw) == 0;
}

static ssize_t
guard_write(void *cookie, const char *buf, size_t size)
{
  Guard *g = cookie;
  g_autoptr(GString) in = g_string_new_len(g->pending, (gssize)g->n_pending);
  g_string_append_len(in, buf, (gssize)size);
  g_autoptr(GString) out = g_string_sized_new(in->len + 16);
  gsize taken = output_escape_controls(out, in->str, in->len, TRUE);
  g->n_pending = in->len - taken;
  memcpy(g->pending, in->str + taken, g->n_pending);
  return write_raw(g->raw, out->str, out->len) ? (ssize_t)size : -1;
}

static int
guard_close(void *cookie)
{
  Guard *g = cookie;
  g_autoptr(GString) out = g_string_new(NULL);
  output_escape_controls(out, g->pending, g->n_pending, FALSE);
  return write_raw(g->raw, out->str, out->len) ? 0 : EOF;
}

/* Static: the filters live as long as the process, and stdio never closes them. */
static Guard out_guard, err_guard;
static FILE *raw_stdout;

static FILE *
guard_open(Guard *g, FILE *raw, int buffering)
{
  g->raw = raw;
  cookie_io_functions_t io = {.write = guard_write, .close = guard_close};
  FILE *f = fopencookie(g, "w", io);
  if (f == NULL)
    return NULL;
  setvbuf(f, NULL, buffering, buffering == _IONBF ? 0 : BUFSIZ);
  return f;
}

void
output_guard_streams(void)
{
  fflush(stdout);
  fflush(stderr);
  raw_stdout = stdout;
  FILE *out = guard_open(&out_guard, stdout, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF);
  FILE *err = guard_open(&err_guard, stderr, _IONBF);
  /* Without memory for a filter the plain streams stay: printing still works. */
  if (out != NULL)
    stdout = out;
  if (err != NULL)
    stderr = err;
}

gboolean
output_write_data(const char *data, gsize len)
{
  if (fflush(stdout) != 0)
    return FALSE;
  return write_raw(raw_stdout != NULL ? raw_stdout : stdout, data, len);
}

void
output_item_json(JsonBuilder *b, const MusterItem *item)
{
  json_builder_begin_object(b);
  cli_json_str(b, "uuid", item->uuid);
  cli_json_str(b, "manufacturer", item->manufacturer);
  cli_json_str(b, "country_of_manufacture", item->country);
  cli_json_str(b, "serial", item->serial);
  cli_json_str(b, "model", item->model);
  cli_json_str(b, "category", item->category);
  cli_json_str(b, "calibre", item->calibre);
  if (item->year > 0)
    cli_json_int(b, "year", item->year);
  cli_json_str(b, "import_country", item->import_country);
  if (item->import_year > 0)
    cli_json_int(b, "import_year", item->import_year);
  cli_json_str(b, "state_marking", item->state_marking);
  cli_json_str(b, "frame_material", item->frame_material);
  cli_json_str(b, "status", muster_status_to_string(item->status));
  cli_json_str(b, "location", item->location_path);
  cli_json_str(b, "custodian", item->custodian);
  cli_json_str(b, "created_at", item->created_at);
  if (item->markings != NULL) {
    json_builder_set_member_name(b, "markings");
    json_builder_begin_array(b);
    for (guint i = 0; i < item->markings->len; i++) {
      const MusterMarking *m = item->markings->pdata[i];
      json_builder_begin_object(b);
      cli_json_str(b, "kind", m->kind);
      cli_json_str(b, "component", m->component);
      cli_json_str(b, "value", m->value);
      cli_json_str(b, "created_at", m->created_at);
      cli_json_str(b, "retired_at", m->retired_at);
      json_builder_end_object(b);
    }
    json_builder_end_array(b);
  }
  json_builder_end_object(b);
}

char *
output_item_label(const MusterItem *item)
{
  return g_strdup_printf("%s %s%s%s%s SN %s", item->manufacturer, item->model,
                         item->calibre ? " (" : "", item->calibre ? item->calibre : "",
                         item->calibre ? ")" : "", item->serial);
}

void
output_item_text(FILE *out, const MusterItem *item)
{
  g_autofree char *label = output_item_label(item);
  fprintf(out, "%s\n", label);
  fprintf(out, "  uuid          %s\n", item->uuid);
  fprintf(out, "  made          %s, %s", item->country, item->manufacturer);
  if (item->year > 0)
    fprintf(out, ", %d", item->year);
  fprintf(out, "\n  category      %s\n", item->category);
  if (item->import_country != NULL) {
    fprintf(out, "  imported      %s", item->import_country);
    if (item->import_year > 0)
      fprintf(out, ", %d", item->import_year);
    fprintf(out, "\n");
  }
  if (item->state_marking != NULL)
    fprintf(out, "  state marking %s\n", item->state_marking);
  if (item->frame_material != NULL)
    fprintf(out, "  frame         %s\n", item->frame_material);
  fprintf(out, "  status        %s%s%s\n", muster_status_to_string(item->status),
          item->custodian ? ", custodian " : "", item->custodian ? item->custodian : "");
  fprintf(out, "  location      %s\n", item->location_path ? item->location_path : "(none)");
  for (guint i = 0; item->markings != NULL && i < item->markings->len; i++) {
    const MusterMarking *m = item->markings->pdata[i];
    fprintf(out, "  marking       %-15s %-8s %s%s\n", m->kind, m->component, m->value,
            m->retired_at ? " (retired)" : "");
  }
}

void
output_count_json(JsonBuilder *b, const MusterCount *c, gboolean show_expected)
{
  json_builder_begin_object(b);
  cli_json_int(b, "id", c->id);
  cli_json_str(b, "uuid", c->uuid);
  cli_json_str(b, "state", muster_count_state_to_string(c->state));
  cli_json_str(b, "counter", c->counter);
  cli_json_str(b, "witness", c->witness);
  cli_json_bool(b, "blind", c->blind);
  json_builder_set_member_name(b, "scope");
  json_builder_begin_array(b);
  for (guint i = 0; c->scope != NULL && i < c->scope->len; i++)
    json_builder_add_string_value(b, c->scope->pdata[i]);
  json_builder_end_array(b);
  cli_json_str(b, "started_at", c->started_at);
  cli_json_str(b, "closed_at", c->closed_at);
  cli_json_str(b, "reconciled_at", c->reconciled_at);
  cli_json_str(b, "signed_off_at", c->signed_off_at);
  cli_json_str(b, "signed_off_by", c->signed_off_by);
  cli_json_str(b, "signoff_note", c->signoff_note);
  if (show_expected) {
    cli_json_int(b, "expected", c->expected);
    cli_json_int(b, "found_expected", c->found_expected);
  }
  cli_json_int(b, "found", c->found);
  cli_json_int(b, "scans", c->scans);
  cli_json_int(b, "unknown", c->unknown);
  cli_json_int(b, "unreadable", c->unreadable);
  cli_json_int(b, "unmarked", c->unmarked);
  if (show_expected) {
    cli_json_int(b, "discrepancies", c->discrepancies);
    cli_json_int(b, "unresolved", c->unresolved);
  }
  json_builder_end_object(b);
}

void
output_count_text(FILE *out, const MusterCount *c, gboolean show_expected)
{
  g_autoptr(GString) scope = g_string_new(NULL);
  for (guint i = 0; c->scope != NULL && i < c->scope->len; i++) {
    const char *p = c->scope->pdata[i];
    g_string_append_printf(scope, "%s%s", i ? ", " : "", *p ? p : "(whole armoury)");
  }
  fprintf(out, "Count %" G_GINT64_FORMAT " (%s)  %s%s\n", c->id, c->uuid,
          muster_count_state_to_string(c->state), c->blind ? ", blind" : "");
  fprintf(out, "  scope         %s\n", scope->str);
  fprintf(out, "  counter       %s, witness %s\n", c->counter, c->witness);
  fprintf(out, "  started       %s\n", c->started_at);
  if (c->closed_at)
    fprintf(out, "  closed        %s\n", c->closed_at);
  if (c->reconciled_at)
    fprintf(out, "  reconciled    %s\n", c->reconciled_at);
  if (c->signed_off_at)
    fprintf(out, "  signed off    %s by %s%s%s\n", c->signed_off_at, c->signed_off_by,
            c->signoff_note ? ": " : "", c->signoff_note ? c->signoff_note : "");
  if (show_expected)
    fprintf(out, "  found         %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " expected (%"
            G_GINT64_FORMAT " items found in all)\n", c->found_expected, c->expected, c->found);
  else
    fprintf(out, "  found         %" G_GINT64_FORMAT " items (blind count)\n", c->found);
  fprintf(out, "  scans         %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT " unknown, %"
          G_GINT64_FORMAT " unreadable); %" G_GINT64_FORMAT " unmarked items\n",
          c->scans, c->unknown, c->unreadable, c->unmarked);
  if (show_expected && c->state != MUSTER_COUNT_OPEN)
    fprintf(out, "  discrepancies %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT " unresolved)\n",
            c->discrepancies, c->unresolved);
}

void
output_discrepancy_json(JsonBuilder *b, const MusterDiscrepancy *d)
{
  json_builder_begin_object(b);
  cli_json_int(b, "id", d->id);
  cli_json_str(b, "uuid", d->uuid);
  cli_json_str(b, "kind", d->kind);
  cli_json_str(b, "subject", d->subject);
  cli_json_str(b, "item_uuid", d->item_uuid);
  cli_json_str(b, "item", d->item_summary);
  cli_json_str(b, "other_item_uuid", d->other_item_uuid);
  cli_json_str(b, "location", d->location_path);
  cli_json_str(b, "detail", d->detail);
  cli_json_str(b, "created_at", d->created_at);
  json_builder_set_member_name(b, "resolution");
  if (d->resolution_action == NULL) {
    json_builder_add_null_value(b);
  } else {
    json_builder_begin_object(b);
    cli_json_str(b, "action", d->resolution_action);
    cli_json_str(b, "reason", d->resolution_reason);
    cli_json_str(b, "resolved_by", d->resolved_by);
    cli_json_str(b, "confirmed_by", d->confirmed_by);
    cli_json_str(b, "resolved_at", d->resolved_at);
    json_builder_end_object(b);
  }
  json_builder_end_object(b);
}

void
output_discrepancy_text(FILE *out, const MusterDiscrepancy *d)
{
  fprintf(out, "  #%-6" G_GINT64_FORMAT " %-18s %-12s %s\n", d->id, d->kind,
          d->location_path ? (*d->location_path ? d->location_path : "(armoury)") : "-",
          d->detail);
  if (d->resolution_action != NULL)
    fprintf(out, "          resolved: %s by %s%s%s at %s: %s\n", d->resolution_action,
            d->resolved_by, d->confirmed_by ? ", confirmed by " : "",
            d->confirmed_by ? d->confirmed_by : "", d->resolved_at, d->resolution_reason);
}

void
output_anchor_json(JsonBuilder *b, const MusterAnchorReceipt *r)
{
  json_builder_set_member_name(b, "anchor");
  json_builder_begin_object(b);
  cli_json_int(b, "audit_seq", r->audit_seq);
  cli_json_str(b, "audit_at", r->audit_at);
  cli_json_str(b, "registry_at", r->registry_at);
  cli_json_int(b, "unanchored_entries", r->unanchored);
  cli_json_str(b, "unanchored_since", r->unanchored_since);
  json_builder_end_object(b);
}
