// Package keys describes how the SQL layer lays out the KV key space, as
// far as the kv layer needs to know it: the bounds of each table and of
// the catalog, at which ranges are split so that no range holds data of
// two tables.
//
// Layout (see sql/rowenc and sql/catalog, which own the encodings):
//
//	'c' ...                      catalog: descriptors, namespace, roles
//	'r' tableID(4 bytes BE) ...  data of one table (all its indexes)
//
// Other first bytes have no boundary: they stay in whatever range holds
// them.
package keys

import "encoding/binary"

const (
	// CatalogPrefix is the first byte of every catalog key.
	CatalogPrefix = 'c'
	// TablePrefix is the first byte of every table data key.
	TablePrefix = 'r'
)

// TableSpan returns the key span [start, end) of the table with the given
// ID.
func TableSpan(tableID uint32) (start, end []byte) {
	start = binary.BigEndian.AppendUint32([]byte{TablePrefix}, tableID)
	if tableID == ^uint32(0) {
		return start, []byte{TablePrefix + 1}
	}
	return start, binary.BigEndian.AppendUint32([]byte{TablePrefix}, tableID+1)
}

// Boundary returns the span of the unit (a table, or the catalog) that key
// belongs to, or ok=false if key belongs to none. It is the split policy
// of kv/localstore (Options.SplitBoundary).
func Boundary(key []byte) (start, end []byte, ok bool) {
	switch {
	case len(key) >= 5 && key[0] == TablePrefix:
		start, end = TableSpan(binary.BigEndian.Uint32(key[1:5]))
		return start, end, true
	case len(key) >= 1 && key[0] == CatalogPrefix:
		return []byte{CatalogPrefix}, []byte{CatalogPrefix + 1}, true
	}
	return nil, nil, false
}
