/*
 * cmd-decode.c: `muster decode IMAGE...`: every barcode, QR code and Data Matrix in
 * image files, with the marking each carries.
 *
 * The same decoder the camera reader uses (decode/) and the same payload parser
 * every reader's scans go through (marking/payload.h), so what this prints for a photo
 * of a mark is what a count would record for it. Useful to check a mark, a label
 * printer or a camera's picture before a count.
 */
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "core/muster-error.h"
#include "decode/decoder.h"
#include "decode/image-file.h"
#include "marking/payload.h"

static int run_decode(int argc, char **argv);

enum { CMD_DECODE, N_CMDS };

const MusterCliCommand muster_cmd_decode[] = {
    [CMD_DECODE] = {"decode", "[OPTION...] IMAGE...",
                    "Decode the barcodes, QR codes and Data Matrix marks in image files",
                    run_decode},
    [N_CMDS] = {NULL}};

static char *
raw_hex(GBytes *raw)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(raw, &len);
  GString *hex = g_string_sized_new(2 * len);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf(hex, "%02X", data[i]);
  return g_string_free(hex, FALSE);
}

/* The marking, parsed from the scan data as a camera scan's (docs/scan-data.md): the
 * AIM identifier, which says GS1, then the data. */
static MusterPayload *
parse(const MusterSymbol *symbol)
{
  g_autoptr(GBytes) raw = muster_symbol_scan_data(symbol);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(raw, &len);
  return muster_payload_parse_barcode(data, len, symbol->symbology);
}

/* The data shown, GS/RS/EOT as <GS>...: the payload's rendering of the scan data,
 * without the identifier (shown apart, or in the JSON's "aim"). */
static const char *
printable(const MusterSymbol *symbol, const MusterPayload *payload)
{
  const char *text = payload->text;
  return g_str_has_prefix(text, symbol->aim) ? text + strlen(symbol->aim) : text;
}

static void
symbol_json(JsonBuilder *b, const MusterSymbol *symbol)
{
  g_autoptr(MusterPayload) payload = parse(symbol);
  g_autofree char *hex = raw_hex(symbol->raw);
  json_builder_begin_object(b);
  cli_json_str(b, "symbology", symbol->symbology);
  cli_json_str(b, "aim", symbol->aim);
  cli_json_str(b, "text", symbol->text);
  cli_json_str(b, "printable", printable(symbol, payload));
  cli_json_str(b, "raw_hex", hex);
  cli_json_bool(b, "gs1", symbol->gs1);
  cli_json_bool(b, "inverted", symbol->inverted);
  cli_json_int(b, "x", symbol->x);
  cli_json_int(b, "y", symbol->y);
  json_builder_set_member_name(b, "marking");
  json_builder_begin_object(b);
  cli_json_str(b, "format", muster_payload_format_to_string(payload->format));
  if (payload->value != NULL)
    cli_json_str(b, "kind", muster_marking_kind_to_string(payload->kind));
  cli_json_str(b, "value", payload->value);
  cli_json_str(b, "problem", payload->problem);
  json_builder_end_object(b);
  json_builder_end_object(b);
}

static void
symbol_text(const char *file, const MusterSymbol *symbol)
{
  g_autoptr(MusterPayload) payload = parse(symbol);
  printf("%s: %s%s%s %s\n", file, symbol->symbology, symbol->gs1 ? " (GS1)" : "",
         symbol->inverted ? " (light on dark)" : "", printable(symbol, payload));
  if (payload->value != NULL)
    printf("  marking %s %s (%s)\n", muster_marking_kind_to_string(payload->kind), payload->value,
           muster_payload_format_to_string(payload->format));
  else
    printf("  no marking: %s\n", payload->problem != NULL ? payload->problem : "unknown");
}

/* Decodes one file; on failure returns NULL with error naming the file. */
static GPtrArray *
decode_file(MusterDecoder *decoder, const char *path, GError **error)
{
  g_autoptr(MusterGreyImage) image = muster_image_file_load(path, error);
  if (image == NULL)
    return NULL;
  GPtrArray *symbols = muster_decoder_decode(decoder, image, error);
  if (symbols == NULL)
    g_prefix_error(error, "%s: ", path);
  return symbols;
}

static const char decode_help[] =
    "Reads PNG, JPEG and the other formats the system's image loaders know. GS, RS and\n"
    "EOT of ISO/IEC 15434 data are shown as <GS>, <RS>, <EOT> (--json gives the AIM\n"
    "symbology identifier, the text and the raw bytes in hex, without the identifier). Exit status 0 when every image held a code; 4 when some\n"
    "held none; 3, 4 or 14 when a file is damaged, missing or unreadable.";

static int
run_decode(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_decode[CMD_DECODE];
  const CliStart start = {
                          .help = decode_help,
                          .usage = "give one or more image files",
                          .args = 1,
                          .optional_args = CLI_ANY};
  int status = cli_start(cmd, &start, &argc, &argv, NULL);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(MusterDecoder) decoder = muster_decoder_new(0);
  /* A photo is worth the time a camera frame is not (decoder.h). */
  muster_decoder_set_thorough(decoder, TRUE);
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_array(b);
  status = 0;
  for (int i = 1; i < argc; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) symbols = decode_file(decoder, argv[i], &error);
    json_builder_begin_object(b);
    cli_json_str(b, "file", argv[i]);
    if (symbols == NULL) {
      cli_json_str(b, "error", error->message);
      int failed = cli_fail(error);
      status = status == 0 || status == 4 ? failed : status;
    } else if (symbols->len == 0) {
      g_printerr("muster: %s: no barcode, QR code or Data Matrix found; check that the mark "
                 "is sharp, lit evenly and fills a good part of the picture\n",
                 argv[i]);
      status = status == 0 ? 4 : status;
    }
    json_builder_set_member_name(b, "symbols");
    json_builder_begin_array(b);
    for (guint k = 0; symbols != NULL && k < symbols->len; k++) {
      if (cli.json)
        symbol_json(b, symbols->pdata[k]);
      else
        symbol_text(argv[i], symbols->pdata[k]);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  if (cli.json) {
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  }
  return status;
}
