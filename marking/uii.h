/*
 * uii.h: the concatenated Unique Item Identifier (UII) of a MIL-STD-130 IUID mark.
 *
 * The mark holds data elements (ASC data identifiers, text element identifiers or GS1
 * AIs); the UII, which the record store matches, is those elements concatenated in a fixed
 * order, with the issuing agency code (IAC) of the enterprise identifier in front when
 * the data does not hold it. The rules are MIL-STD-130N tables A-I (TEI) and A-II (DI)
 * plus the DoD-recognised GS1 equivalents; they are one table in uii.c.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

/* The UII built from fields (qualifier → data, as iso15434.h and gs1.h fill them), not
 * yet normalised, and in *rule (may be NULL) a static description of the rule used
 * ("construct 2: D + 17V + 1P + S"). NULL with MUSTER_ERROR_INVALID when the elements
 * make no UII, saying which elements were found. */
char *muster_uii_from_fields(GHashTable *fields, const char **rule, GError **error);

G_END_DECLS
