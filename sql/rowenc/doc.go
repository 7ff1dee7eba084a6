// Package rowenc encodes table rows as KV pairs.
//
// Key:   'r' | tableID uint32 BE | indexID uint32 BE | primary-key values
// (order-preserving, internal/encoding), so a primary-key range is a KV
// range scan and a table is one contiguous span.
//
// Value: a sequence of (column ID uvarint, tag byte, payload) for every
// non-NULL column, in column-ID order. Column IDs are never reused, so
// ADD/DROP COLUMN need no rewrite: a missing ID decodes as NULL (or the
// column's default, by the caller's choice).
package rowenc
