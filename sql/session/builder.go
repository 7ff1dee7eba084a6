package session

import (
	"context"
	"strconv"

	"github.com/aegisdb/aegis/exec/build"
	"github.com/aegisdb/aegis/exec/op"
	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/bind"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// newBuilder returns the physical planner for a statement of this session.
func (s *Session) newBuilder(ctx context.Context, txn *kv.Txn, params []types.Datum) *build.Builder {
	return &build.Builder{Txn: txn, Env: s, Params: params, Ctx: ctx,
		Virtual: func(ctx context.Context) *vtable.Context { return s.vtableContext(ctx, txn) },
		Defer:   s.deferCheck, FKDeferred: s.fkDeferred,
		IndexExprs: func(d *catalog.Descriptor) (map[uint32][]plan.Expr, error) {
			return bind.New(ctx, catalog.New(txn), s.dbID, &s.typio, nil, 0).IndexExprs(d)
		},
		CheckExprs: func(d *catalog.Descriptor) ([]plan.CheckExpr, error) {
			return bind.New(ctx, catalog.New(txn), s.dbID, &s.typio, nil, 0).TableChecks(d)
		},
		GeneratedExprs: func(d *catalog.Descriptor) ([]plan.Expr, error) {
			return bind.New(ctx, catalog.New(txn), s.dbID, &s.typio, nil, 0).GeneratedExprs(d)
		},
		DefaultExprs: func(d *catalog.Descriptor) ([]plan.Expr, error) {
			n, err := bind.New(ctx, catalog.New(txn), s.dbID, &s.typio, nil, 0).CopyInsert(d, nil, [][]types.Datum{{}})
			if err != nil {
				return nil, err
			}
			ins, ok := n.(*plan.Insert)
			if !ok {
				return nil, pgerror.AssertionFailed("column defaults of %s", d.Name)
			}
			v, ok := ins.Input.(*plan.Values)
			if !ok || len(v.Rows) != 1 {
				return nil, pgerror.AssertionFailed("column defaults of %s", d.Name)
			}
			return v.Rows[0], nil
		}}
}

// indexEvals compiles desc's index key expressions (see op.IndexEval).
func (s *Session) indexEvals(ctx context.Context, txn *kv.Txn, desc *catalog.Descriptor) (map[uint32]op.IndexEval, error) {
	return s.newBuilder(ctx, txn, nil).IndexEvals(desc)
}

// Catalog implements funcs.Env.
func (s *Session) Catalog() *vtable.Context {
	if s.txn == nil {
		return nil
	}
	return s.vtableContext(context.Background(), s.txn)
}

// allSettings lists every setting with its current value (pg_settings).
func (s *Session) allSettings() []vtable.Setting {
	var out []vtable.Setting
	for _, name := range settingNames() {
		v, _ := s.show(name)
		def := settingDefs[name]
		vt := "string"
		switch def.def {
		case "on", "off":
			vt = "bool"
		}
		if _, err := strconv.Atoi(def.def); err == nil {
			vt = "integer"
		}
		out = append(out, vtable.Setting{Name: name, Value: v, Default: def.def, Desc: def.desc, VarType: vt})
	}
	return out
}

// RelationVisible implements funcs.Env: a relation is visible when its
// schema is on the search path (public; pg_catalog for system tables).
func (s *Session) RelationVisible(oid int64) bool {
	if oid < vtable.UserOIDBase || s.txn == nil {
		return true
	}
	cat := catalog.New(s.txn)
	id := uint32((oid - vtable.UserOIDBase) & (1<<24 - 1)) // index OIDs carry the index ID above bit 24
	d, err := cat.ByID(context.Background(), id)
	if err != nil || d == nil {
		return false
	}
	sc, err := cat.ByID(context.Background(), d.SchemaID)
	return err == nil && sc != nil && sc.Name == "public"
}
