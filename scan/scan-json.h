/*
 * scan-json.h: a scan as one JSON object or one line of text, for `muster readers watch`
 * and logs. The JSON carries everything a reader said: who read it, the raw bytes (hex),
 * the decoded text, the parsed marking and the authenticity verdict.
 */
#pragma once
#include "scan/scan.h"
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* {"type": "scan" or "location" (a rack label or scripted move), "reader","reader_kind","symbology","raw_hex","text","marking":{"kind","value"} or null,
 *  "authenticity","read_at","location","problem"} */
JsonNode *muster_scan_to_json(const MusterScan *scan);
/* "nfc:pn532  ntag215  hf_uid 04A1B2C3D4E5F6  genuine" and the like. Control characters
 * of the text (GS, RS, EOT) are shown as <GS>, <RS>, <EOT>. */
char *muster_scan_describe(const MusterScan *scan);
/* text with control characters made visible as above. */
char *muster_scan_visible_text(const char *text);

G_END_DECLS
