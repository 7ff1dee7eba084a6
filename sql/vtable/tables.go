package vtable

import (
	"fmt"
	"strings"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/types"
)

var (
	tOid  = types.OidT
	tName = types.Name
	tChar = types.T{Oid: types.OidChar, Typmod: -1}
	tBool = types.Bool
	tInt2 = types.Int2
	tInt4 = types.Int4
	tText = types.Text
	tF4   = types.Float4
)

func cols(spec ...any) []Column {
	var out []Column
	for i := 0; i < len(spec); i += 2 {
		out = append(out, Column{Name: spec[i].(string), T: spec[i+1].(types.T)})
	}
	return out
}

func relkind(d *catalog.Descriptor) string {
	switch d.Kind {
	case catalog.KindView:
		return "v"
	case catalog.KindSequence:
		return "S"
	}
	return "r"
}

// builtinTypes lists the types pg_type shows (OID order).
var builtinTypes = []types.T{types.Bool, types.Bytea, {Oid: types.OidChar, Typmod: -1}, types.Name, types.Int8, types.Int2,
	types.Int4, types.Text, types.OidT, types.Float4, types.Float8, types.Unknown, {Oid: types.OidBpchar, Typmod: -1},
	types.Varchar, types.Date, types.Timestamp, types.TimestampTZ, types.Interval, types.Numeric, types.Void, types.UUID}

func buildRegistry() {
	register(&Table{Schema: "pg_catalog", Name: "pg_namespace", Cols: cols("oid", tOid, "nspname", tName, "nspowner", tOid, "nspacl", tText),
		Rows: func(c *Context) ([][]types.Datum, error) {
			all, err := objects(c)
			if err != nil {
				return nil, err
			}
			rows := [][]types.Datum{
				{int64(PgCatalogOID), "pg_catalog", int64(SuperuserOID), nil},
				{int64(InformationSchemaOID), "information_schema", int64(SuperuserOID), nil},
			}
			for _, d := range all {
				if d.Kind == catalog.KindSchema {
					owner := int64(SuperuserOID)
					if d.Name == "public" {
						owner = DatabaseOwnerOID // as PostgreSQL 15
					}
					rows = append(rows, []types.Datum{OID(d), d.Name, owner, nil})
				}
			}
			return rows, nil
		}})
	register(&Table{Schema: "pg_catalog", Name: "pg_class", Cols: cols("oid", tOid, "relname", tName, "relnamespace", tOid,
		"reltype", tOid, "reloftype", tOid, "relowner", tOid, "relam", tOid, "relfilenode", tOid, "reltablespace", tOid,
		"relpages", tInt4, "reltuples", tF4, "relhasindex", tBool, "relisshared", tBool, "relpersistence", tChar,
		"relkind", tChar, "relnatts", tInt2, "relchecks", tInt2, "relhasrules", tBool, "relhastriggers", tBool,
		"relhassubclass", tBool, "relrowsecurity", tBool, "relforcerowsecurity", tBool, "relispopulated", tBool,
		"relreplident", tChar, "relispartition", tBool, "reloptions", tText, "relacl", tText, "relpartbound", tText),
		Rows: func(c *Context) ([][]types.Datum, error) {
			all, err := objects(c)
			if err != nil {
				return nil, err
			}
			var rows [][]types.Datum
			for _, d := range all {
				sc := schemaOf(all, d.SchemaID)
				if sc == nil || d.Kind == catalog.KindSchema || d.Kind == catalog.KindDatabase {
					continue
				}
				natts, checks, hasIndex := int64(0), int64(0), false
				am := int64(0)
				if d.Table != nil {
					for _, col := range d.Table.Columns {
						if !col.Hidden {
							natts++
						}
					}
					checks = int64(len(d.Table.Checks))
					hasIndex = d.Table.PrimaryKeyName != "" || len(d.Table.Indexes) > 0
					am = 2 // heap
				}
				if d.View != nil {
					natts = int64(len(d.View.Columns))
				}
				rows = append(rows, []types.Datum{OID(d), d.Name, OID(sc), int64(0), int64(0), int64(SuperuserOID), am, OID(d), int64(0),
					int64(0), float64(-1), hasIndex, false, "p", relkind(d), natts, checks, false, false, false, false, false, true, "d", false, nil, nil, nil})
				if d.Table == nil {
					continue
				}
				// Indexes are relations too.
				idx := func(name string, id uint32) {
					rows = append(rows, []types.Datum{indexOID(d, id), name, OID(sc), int64(0), int64(0), int64(SuperuserOID), int64(403), indexOID(d, id), int64(0),
						int64(0), float64(-1), false, false, "p", "i", int64(0), int64(0), false, false, false, false, false, true, "n", false, nil, nil, nil})
				}
				if d.Table.PrimaryKeyName != "" {
					idx(d.Table.PrimaryKeyName, 1)
				}
				for _, ix := range d.Table.Indexes {
					idx(ix.Name, ix.ID)
				}
			}
			return rows, nil
		}})
	register(&Table{Schema: "pg_catalog", Name: "pg_attribute", Cols: cols("attrelid", tOid, "attname", tName, "atttypid", tOid,
		"attlen", tInt2, "attnum", tInt2, "atttypmod", tInt4, "attnotnull", tBool, "atthasdef", tBool, "atthasmissing", tBool,
		"attidentity", tChar, "attgenerated", tChar, "attisdropped", tBool, "attislocal", tBool, "attcollation", tOid,
		"attstattarget", tInt4, "attstorage", tChar, "attcompression", tChar, "attacl", tText),
		Rows: func(c *Context) ([][]types.Datum, error) {
			all, err := objects(c)
			if err != nil {
				return nil, err
			}
			var rows [][]types.Datum
			for _, d := range all {
				if d.Table == nil {
					continue
				}
				for _, col := range d.Table.Columns {
					if col.Hidden {
						continue
					}
					// attnum is the column ID: stable across DROP COLUMN (which
					// leaves a gap, as in PostgreSQL) and what RowDescription
					// reports.
					n := int64(col.ID)
					ident := ""
					coll := int64(0)
					if col.Type.IsString() {
						coll = 100
					}
					rows = append(rows, []types.Datum{OID(d), col.Name, int64(col.Type.Oid), int64(col.Type.Size()), n, int64(col.Type.Typmod),
						col.NotNull, col.Default != "", false, ident, "", false, true, coll, int64(-1), "p", "", nil})
				}
			}
			return rows, nil
		}})
	register(&Table{Schema: "pg_catalog", Name: "pg_type", Cols: cols("oid", tOid, "typname", tName, "typnamespace", tOid,
		"typowner", tOid, "typlen", tInt2, "typbyval", tBool, "typtype", tChar, "typcategory", tChar, "typisdefined", tBool,
		"typdelim", tChar, "typrelid", tOid, "typelem", tOid, "typarray", tOid, "typbasetype", tOid, "typtypmod", tInt4,
		"typnotnull", tBool, "typcollation", tOid, "typdefault", tText),
		Rows: func(c *Context) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, t := range builtinTypes {
				coll := int64(0)
				if t.IsString() && t.Oid != types.OidUnknown {
					coll = 100
				}
				rows = append(rows, []types.Datum{int64(t.Oid), t.TypName(), int64(PgCatalogOID), int64(SuperuserOID), int64(t.Size()),
					t.Size() > 0 && t.Size() <= 8, "b", typCategory(t), true, ",", int64(0), int64(0), int64(0), int64(0), int64(-1), false, coll, nil})
			}
			return rows, nil
		}})
	register(&Table{Schema: "pg_catalog", Name: "pg_am", Cols: cols("oid", tOid, "amname", tName, "amtype", tChar),
		Rows: func(*Context) ([][]types.Datum, error) {
			return [][]types.Datum{{int64(2), "heap", "t"}, {int64(403), "btree", "i"}}, nil
		}})
	register(&Table{Schema: "pg_catalog", Name: "pg_database", Cols: cols("oid", tOid, "datname", tName, "datdba", tOid,
		"encoding", tInt4, "datlocprovider", tChar, "datistemplate", tBool, "datallowconn", tBool, "datconnlimit", tInt4,
		"datcollate", tText, "datctype", tText, "daticulocale", tText, "datacl", tText),
		Rows: func(c *Context) ([][]types.Datum, error) {
			all, err := c.Cat.List(c.Ctx)
			if err != nil {
				return nil, err
			}
			var rows [][]types.Datum
			for _, d := range all {
				if d.Kind == catalog.KindDatabase {
					rows = append(rows, []types.Datum{OID(d), d.Name, int64(SuperuserOID), int64(6), "c", false, true, int64(-1), "C.UTF-8", "C.UTF-8", nil, nil})
				}
			}
			return rows, nil
		}})
	roles := func(c *Context) ([][]types.Datum, error) {
		return [][]types.Datum{{int64(SuperuserOID), c.User, true, true, true, true, true, true, int64(-1), nil, true}}, nil
	}
	roleCols := cols("oid", tOid, "rolname", tName, "rolsuper", tBool, "rolinherit", tBool, "rolcreaterole", tBool,
		"rolcreatedb", tBool, "rolcanlogin", tBool, "rolreplication", tBool, "rolconnlimit", tInt4, "rolvaliduntil", types.TimestampTZ, "rolbypassrls", tBool)
	register(&Table{Schema: "pg_catalog", Name: "pg_roles", Cols: roleCols, Rows: roles})
	register(&Table{Schema: "pg_catalog", Name: "pg_authid", Cols: roleCols, Rows: roles})
	register(&Table{Schema: "pg_catalog", Name: "pg_user", Cols: cols("usename", tName, "usesysid", tOid, "usecreatedb", tBool, "usesuper", tBool),
		Rows: func(c *Context) ([][]types.Datum, error) {
			return [][]types.Datum{{c.User, int64(SuperuserOID), true, true}}, nil
		}})
	register(&Table{Schema: "pg_catalog", Name: "pg_index", Cols: cols("indexrelid", tOid, "indrelid", tOid, "indnatts", tInt2,
		"indnkeyatts", tInt2, "indisunique", tBool, "indisprimary", tBool, "indisexclusion", tBool, "indimmediate", tBool,
		"indisclustered", tBool, "indisvalid", tBool, "indisready", tBool, "indislive", tBool, "indisreplident", tBool,
		"indkey", tText, "indoption", tText, "indexprs", tText, "indpred", tText),
		Rows: func(c *Context) ([][]types.Datum, error) {
			all, err := objects(c)
			if err != nil {
				return nil, err
			}
			var rows [][]types.Datum
			for _, d := range all {
				if d.Table == nil {
					continue
				}
				attnum := func(id uint32) int64 { return int64(id) }
				add := func(id uint32, colIDs []uint32, unique, primary bool) {
					var keys, opts []string
					for _, cid := range colIDs {
						keys = append(keys, fmt.Sprint(attnum(cid)))
						opts = append(opts, "0")
					}
					n := int64(len(colIDs))
					rows = append(rows, []types.Datum{indexOID(d, id), OID(d), n, n, unique, primary, false, true, false, true, true, true, false,
						strings.Join(keys, " "), strings.Join(opts, " "), nil, nil})
				}
				if d.Table.PrimaryKeyName != "" {
					add(1, d.Table.PrimaryKey, true, true)
				}
				for _, ix := range d.Table.Indexes {
					add(ix.ID, ix.Columns, ix.Unique, false)
				}
			}
			return rows, nil
		}})
	register(&Table{Schema: "pg_catalog", Name: "pg_tables", Cols: cols("schemaname", tName, "tablename", tName, "tableowner", tName,
		"tablespace", tName, "hasindexes", tBool, "hasrules", tBool, "hastriggers", tBool, "rowsecurity", tBool),
		Rows: func(c *Context) ([][]types.Datum, error) {
			all, err := objects(c)
			if err != nil {
				return nil, err
			}
			var rows [][]types.Datum
			for _, d := range all {
				if d.Kind != catalog.KindTable {
					continue
				}
				sc := schemaOf(all, d.SchemaID)
				if sc == nil {
					continue
				}
				rows = append(rows, []types.Datum{sc.Name, d.Name, owner(d, c), nil, d.Table.PrimaryKeyName != "" || len(d.Table.Indexes) > 0, false, false, false})
			}
			return rows, nil
		}})
	register(&Table{Schema: "pg_catalog", Name: "pg_views", Cols: cols("schemaname", tName, "viewname", tName, "viewowner", tName, "definition", tText),
		Rows: func(c *Context) ([][]types.Datum, error) {
			all, err := objects(c)
			if err != nil {
				return nil, err
			}
			var rows [][]types.Datum
			for _, d := range all {
				if d.Kind != catalog.KindView {
					continue
				}
				if sc := schemaOf(all, d.SchemaID); sc != nil {
					rows = append(rows, []types.Datum{sc.Name, d.Name, owner(d, c), d.View.Query})
				}
			}
			return rows, nil
		}})
	register(&Table{Schema: "pg_catalog", Name: "pg_settings", Cols: cols("name", tText, "setting", tText),
		Rows: func(c *Context) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, kv := range c.Settings() {
				rows = append(rows, []types.Datum{kv[0], kv[1]})
			}
			return rows, nil
		}})
	registerInformationSchema()
}

func owner(d *catalog.Descriptor, c *Context) string {
	if d.Owner != "" {
		return d.Owner
	}
	return c.User
}

func indexOID(d *catalog.Descriptor, indexID uint32) int64 {
	// Index OIDs live above table OIDs: 1<<24 apart per index ID.
	return OID(d) + int64(indexID)<<24
}

func typCategory(t types.T) string {
	switch t.Family() {
	case types.BoolFamily:
		return "B"
	case types.IntFamily, types.FloatFamily, types.NumericFamily:
		return "N"
	case types.StringFamily:
		return "S"
	case types.DateFamily, types.TimestampFamily, types.TimestampTZFamily:
		return "D"
	case types.IntervalFamily:
		return "T"
	}
	return "U"
}
