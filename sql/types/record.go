package types

import (
	"strings"
	"sync"
)

// Anonymous record types carry their layout (field names and types) in
// the type modifier, as PostgreSQL's typmod-indexed record type cache
// does: T{OidRecord, n} with n >= 0 names a layout registered here, so
// that (r).field binds to a field position and type wherever the record
// goes (subquery columns, function results). Record with Typmod -1 has
// no known layout.

var records struct {
	sync.Mutex
	byKey   map[string]int32
	layouts []recordLayout
}

type recordLayout struct {
	names []string
	types []T
}

// RecordType returns the record type of the given layout, registering it
// on first use.
func RecordType(names []string, ts []T) T {
	var key strings.Builder
	for i, n := range names {
		key.WriteString(n)
		key.WriteByte(0)
		key.WriteString(ts[i].String())
		key.WriteByte(0)
	}
	records.Lock()
	defer records.Unlock()
	if records.byKey == nil {
		records.byKey = map[string]int32{}
	}
	if n, ok := records.byKey[key.String()]; ok {
		return T{OidRecord, n}
	}
	n := int32(len(records.layouts))
	records.layouts = append(records.layouts, recordLayout{append([]string(nil), names...), append([]T(nil), ts...)})
	records.byKey[key.String()] = n
	return T{OidRecord, n}
}

// RecordLayout returns the field names and types of a record type with a
// known layout.
func RecordLayout(t T) (names []string, ts []T, ok bool) {
	if t.Oid != OidRecord || t.Typmod < 0 {
		return nil, nil, false
	}
	records.Lock()
	defer records.Unlock()
	if int(t.Typmod) >= len(records.layouts) {
		return nil, nil, false
	}
	l := records.layouts[t.Typmod]
	return l.names, l.types, true
}
