package session

import (
	"context"
	"strings"

	"github.com/aegisdb/aegis/sql/bind"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// regNames implements typio.RegNames for a session: the names of OID
// alias types (regclass, regtype, regproc, regnamespace, regrole) are
// looked up in the catalog as the session's current transaction sees it.
type regNames struct{ s *Session }

// vctx returns a catalog context of the current transaction (nil outside
// one: values then print as numbers).
func (r regNames) vctx() *vtable.Context {
	if r.s.txn == nil {
		return nil
	}
	return r.s.vtableContext(context.Background(), r.s.txn)
}

// RegName implements typio.RegNames.
func (r regNames) RegName(t types.Oid, oid int64) (string, bool) {
	switch t {
	case types.OidRegType:
		tt := types.T{Oid: types.Oid(oid), Typmod: -1}
		if e, ok := types.Enum(tt.Oid); ok {
			// A user type prints schema-qualified unless its schema is
			// on the search path.
			name := parser.QuoteIdent(e.Name)
			if c := r.vctx(); c != nil && !c.OnSearchPath(e.Schema) {
				name = parser.QuoteIdent(e.Schema) + "." + name
			}
			return name, true
		}
		if _, ok := types.FromOid(tt.Oid); ok {
			return tt.String(), true
		}
		if pt, ok := types.LookupPgType(tt.Oid); ok {
			return pt.Name, true
		}
		return "", false
	case types.OidRegProc, types.OidRegProcedure:
		if name, ok := types.ProcName(types.Oid(oid)); ok {
			return parser.QuoteIdent(name), true
		}
		return "", false
	case types.OidRegRole:
		switch oid {
		case vtable.SuperuserOID:
			return parser.QuoteIdent(r.s.user), true
		case vtable.DatabaseOwnerOID:
			return "pg_database_owner", true
		}
		return "", false
	}
	c := r.vctx()
	if c == nil {
		return "", false
	}
	switch t {
	case types.OidRegClass:
		rels, err := vtable.Relations(c)
		if err != nil {
			return "", false
		}
		for _, rel := range rels {
			if rel.OID == oid {
				name := parser.QuoteIdent(rel.Name)
				if !r.visible(c, rels, rel) {
					name = parser.QuoteIdent(rel.Schema) + "." + name
				}
				return name, true
			}
		}
	case types.OidRegNamespace:
		ns, err := vtable.Namespaces(c)
		if err != nil {
			return "", false
		}
		for name, o := range ns {
			if o == oid {
				return parser.QuoteIdent(name), true
			}
		}
	}
	return "", false
}

// visible reports whether rel is found by its unqualified name (its
// schema is on the search path and no earlier schema has the name).
func (r regNames) visible(c *vtable.Context, rels []vtable.Relation, rel vtable.Relation) bool {
	for _, sc := range c.Path() {
		for _, o := range rels {
			if o.Schema == sc && o.Name == rel.Name {
				return o.OID == rel.OID
			}
		}
	}
	return false
}

// RegOid implements typio.RegNames.
func (r regNames) RegOid(t types.Oid, name string) (int64, error) {
	switch t {
	case types.OidRegType:
		return r.typeOid(name)
	case types.OidRegProc, types.OidRegProcedure:
		parts, ok := parser.SplitQualifiedName(strings.SplitN(name, "(", 2)[0])
		if !ok || len(parts) > 2 || (len(parts) == 2 && parts[0] != "pg_catalog") {
			return 0, pgerror.New(pgerror.UndefinedFunction, "function \"%s\" does not exist", name)
		}
		var found []int64
		for _, p := range types.PgProcs() {
			if p.Name == parts[len(parts)-1] {
				found = append(found, int64(p.Oid))
			}
		}
		switch {
		case len(found) == 0:
			return 0, pgerror.New(pgerror.UndefinedFunction, "function \"%s\" does not exist", name)
		case len(found) > 1 && t == types.OidRegProc:
			return 0, pgerror.New(pgerror.AmbiguousFunction, "more than one function named \"%s\"", name)
		}
		return found[0], nil
	case types.OidRegRole:
		parts, ok := parser.SplitQualifiedName(name)
		if ok && len(parts) == 1 {
			switch parts[0] {
			case r.s.user, "postgres":
				return vtable.SuperuserOID, nil
			case "pg_database_owner":
				return vtable.DatabaseOwnerOID, nil
			}
		}
		return 0, pgerror.New(pgerror.UndefinedObject, "role \"%s\" does not exist", name)
	}
	parts, ok := parser.SplitQualifiedName(name)
	if !ok {
		return 0, pgerror.New(pgerror.InvalidName, "invalid name syntax")
	}
	c := r.vctx()
	if c == nil {
		return 0, pgerror.New(pgerror.FeatureNotSupported, "cannot look up names outside a transaction")
	}
	switch t {
	case types.OidRegClass:
		if len(parts) > 3 || (len(parts) == 3 && parts[0] != r.s.database) {
			return 0, pgerror.New(pgerror.FeatureNotSupported, "cross-database references are not implemented: %s", name)
		}
		rels, err := vtable.Relations(c)
		if err != nil {
			return 0, err
		}
		rel := parts[len(parts)-1]
		schemas := vtable.SearchPath
		if len(parts) > 1 {
			schemas = []string{parts[len(parts)-2]}
		}
		for _, sc := range schemas {
			for _, o := range rels {
				if o.Schema == sc && o.Name == rel {
					return o.OID, nil
				}
			}
		}
		return 0, pgerror.New(pgerror.UndefinedTable, "relation \"%s\" does not exist", name)
	case types.OidRegNamespace:
		if len(parts) != 1 {
			return 0, pgerror.New(pgerror.InvalidName, "invalid name syntax")
		}
		ns, err := vtable.Namespaces(c)
		if err != nil {
			return 0, err
		}
		if o, ok := ns[parts[0]]; ok {
			return o, nil
		}
		return 0, pgerror.New(pgerror.InvalidSchemaName, "schema \"%s\" does not exist", name)
	}
	return 0, pgerror.New(pgerror.FeatureNotSupported, "cannot look up names of type %s", types.T{Oid: t, Typmod: -1}.TypName())
}

// typeOid resolves a type name as regtypein does (any spelling the SQL
// grammar accepts: "integer", "character varying", "int4[]", ...).
func (r regNames) typeOid(name string) (int64, error) {
	stmts, err := parser.Parse("SELECT NULL::" + name)
	if err == nil && len(stmts) == 1 {
		if sel := stmts[0].AST.GetSelectStmt(); sel != nil && len(sel.TargetList) == 1 {
			if tc := sel.TargetList[0].GetResTarget().GetVal().GetTypeCast(); tc != nil {
				var t types.T
				var err error
				if r.s.txn != nil {
					// User-defined types (enums) come from the catalog.
					b := bind.New(context.Background(), catalog.New(r.s.txn), r.s.dbID, &r.s.typio, nil, 0)
					t, err = b.ResolveType(tc.TypeName)
				} else {
					t, err = bind.ResolveTypeName(tc.TypeName)
				}
				if err != nil {
					return 0, err
				}
				return int64(t.Oid), nil
			}
		}
	}
	return 0, pgerror.New(pgerror.UndefinedObject, "type \"%s\" does not exist", name)
}
