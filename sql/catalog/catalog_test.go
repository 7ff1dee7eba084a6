package catalog

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aegisdb/aegis/sql/seq"
	"github.com/aegisdb/aegis/sql/types"
)

// The decode cache must hand out independent copies: a caller modifying
// its descriptor (ALTER TABLE does) must not change what others decode.
func TestDecodeCacheReturnsCopies(t *testing.T) {
	d := &Descriptor{ID: 7, Kind: KindTable, Name: "t", Table: &Table{
		Columns:    []Column{{ID: 1, Name: "a", Type: types.Int4}},
		PrimaryKey: []uint32{1},
		Indexes:    []Index{{ID: 2, Name: "i", Columns: []uint32{1}}},
		Checks:     []Check{{Name: "c", Expr: "a > 0"}},
	}, Sequence: &seq.Options{Start: 1}}
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	a, err := decode(7, raw)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, d) {
		t.Fatalf("decoded %+v, want %+v", a, d)
	}
	a.Table.Columns[0].Name = "changed"
	a.Table.Indexes[0].Columns[0] = 9
	a.Table.Checks = nil
	a.Sequence.Start = 5
	b, err := decode(7, raw)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(b, d) {
		t.Fatalf("cache was modified through a copy: %+v", b)
	}
}
