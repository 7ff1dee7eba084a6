package catalog

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aegisdb/aegis/kv"
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

// Generation-keyed caching must never let a transaction see another's
// uncommitted catalog change, and must see committed ones at once.
func TestLookupCacheFollowsGenerations(t *testing.T) {
	ctx := context.Background()
	db, err := kv.Open(ctx, kv.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	txn := db.Begin(ctx, kv.ReadCommitted)
	if _, err := Bootstrap(ctx, txn, "postgres"); err != nil {
		t.Fatal(err)
	}
	if err := txn.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	lookupT := func(txn *kv.Txn) *Descriptor {
		d, err := New(txn).Relation(ctx, PostgresDBID, PublicSchemaID, "t")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	reader := db.Begin(ctx, kv.ReadCommitted)
	if lookupT(reader) != nil { // caches "absent" under the committed generation
		t.Fatal("t exists before creation")
	}
	writer := db.Begin(ctx, kv.ReadCommitted)
	c := New(writer)
	d := &Descriptor{Name: "t", ParentID: PostgresDBID, SchemaID: PublicSchemaID, Table: &Table{}}
	if err := c.CreateTable(ctx, d); err != nil {
		t.Fatal(err)
	}
	if lookupT(writer) == nil {
		t.Fatal("the creating transaction does not see its table")
	}
	reader.Step()
	if lookupT(reader) != nil {
		t.Fatal("uncommitted table visible to another transaction")
	}
	if err := writer.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	reader.Step()
	if lookupT(reader) == nil {
		t.Fatal("committed table not visible (stale cache)")
	}
	// Drop it in one transaction and roll back: still there.
	dropper := db.Begin(ctx, kv.ReadCommitted)
	dc := New(dropper)
	got, _ := dc.Relation(ctx, PostgresDBID, PublicSchemaID, "t")
	if err := dc.Drop(ctx, got); err != nil {
		t.Fatal(err)
	}
	if lookupT(dropper) != nil {
		t.Fatal("dropping transaction still sees the table")
	}
	_ = dropper.Rollback(ctx)
	reader.Step()
	if lookupT(reader) == nil {
		t.Fatal("rolled-back drop is visible")
	}
}
