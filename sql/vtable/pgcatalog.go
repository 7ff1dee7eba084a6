package vtable

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// The pg_catalog tables that PostgreSQL has as system catalogs take their
// columns from postgres.bki (types.CatalogTableColumns), so that they have
// exactly PostgreSQL 15's columns in its order; their rows are computed
// from Aegis's catalog, plus PostgreSQL's bootstrap rows for catalogs of
// built-in objects (pg_proc, pg_am, pg_opclass, ...).

// bkiType maps a postgres.bki column type to the type Aegis shows it as.
func bkiType(s string) types.T {
	switch s {
	case "oid":
		return types.OidT
	case "name":
		return types.Name
	case "int2":
		return types.Int2
	case "int4":
		return types.Int4
	case "int8", "xid", "xid8", "cid":
		return types.Int8
	case "bool":
		return types.Bool
	case "char":
		return tChar
	case "float4":
		return types.Float4
	case "float8":
		return types.Float8
	case "regproc":
		return types.T{Oid: types.OidRegProc, Typmod: -1}
	case "regtype":
		return types.T{Oid: types.OidRegType, Typmod: -1}
	case "regclass":
		return types.T{Oid: types.OidRegClass, Typmod: -1}
	case "int2vector":
		return types.T{Oid: types.OidInt2Vector, Typmod: -1}
	case "oidvector":
		return types.T{Oid: types.OidOidVector, Typmod: -1}
	case "timestamptz":
		return types.TimestampTZ
	case "bytea":
		return types.Bytea
	}
	if strings.HasPrefix(s, "_") {
		if e := bkiType(s[1:]); e.Oid != types.OidText {
			if a, ok := types.ArrayOf(e); ok {
				return a
			}
		}
		a, _ := types.ArrayOf(types.Text) // _aclitem and other arrays of unsupported types
		return a
	}
	return types.Text // text, pg_node_tree, anyarray, pg_lsn, ...
}

// catalogRow is one row of a system catalog, by column name; columns not
// set take their zero value (NULL for variable-width types).
type catalogRow map[string]types.Datum

// catalogTable registers pg_catalog.name with PostgreSQL's columns. rows
// computes the rows Aegis adds; the catalog's bootstrap rows from
// postgres.bki (if generated) come first.
func catalogTable(name string, rows func(c *Context) ([]catalogRow, error)) {
	bki := types.CatalogTableColumns(name)
	if bki == nil {
		panic("vtable: no system catalog " + name)
	}
	cols := make([]Column, len(bki))
	for i, c := range bki {
		cols[i] = Column{Name: c.Name, T: bkiType(c.Type)}
	}
	boot := bootstrapRows(name, cols)
	register(&Table{Schema: "pg_catalog", Name: name, Cols: cols, Rows: func(c *Context) ([][]types.Datum, error) {
		out := append([][]types.Datum(nil), boot...)
		if rows == nil {
			return out, nil
		}
		rs, err := rows(c)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			row := make([]types.Datum, len(cols))
			for i, col := range cols {
				v, ok := r[col.Name]
				if !ok {
					v = zeroOf(col.T)
				}
				row[i] = v
			}
			out = append(out, row)
		}
		return out, nil
	}})
}

// zeroOf is the value of a column a row does not set.
func zeroOf(t types.T) types.Datum {
	switch t.Family() {
	case types.BoolFamily:
		return false
	case types.IntFamily:
		return int64(0)
	case types.FloatFamily:
		return float64(0)
	}
	if t.Oid == types.OidName {
		return ""
	}
	return nil
}

// bootstrapRows converts the generated bootstrap rows of a catalog.
func bootstrapRows(name string, cols []Column) [][]types.Datum {
	var out [][]types.Datum
	for _, r := range types.CatalogTableRows(name) {
		row := make([]types.Datum, len(cols))
		for i, v := range r {
			if i >= len(cols) || v == types.NullText {
				continue
			}
			d, err := typio.ParseText(cols[i].T, v, nil)
			if err != nil {
				continue // a value Aegis cannot represent stays NULL
			}
			row[i] = d
		}
		out = append(out, row)
	}
	return out
}

// Object identifiers of the parts of a descriptor: its row type,
// constraints and column defaults. They live at and above subOIDBase;
// ID < 65536 and sub-object numbers < 4096.
const subOIDBase = 0x40000000

const (
	subRowType = iota
	subConstraint
	subCheck
	subAttrDef
	subForeignKey
)

func subOID(d *catalog.Descriptor, kind, n int) int64 {
	return subOIDBase + int64(d.ID)<<14 + int64(kind)<<12 + int64(n)
}

// RowTypeOID returns the OID of a table's row type (pg_class.reltype).
func RowTypeOID(d *catalog.Descriptor) int64 { return subOID(d, subRowType, 0) }

// Constraint is a table constraint as pg_constraint shows it.
type Constraint struct {
	OID     int64
	Name    string
	Table   *catalog.Descriptor
	Schema  *catalog.Descriptor
	Type    string   // p, u, c
	Cols    []uint32 // column IDs (conkey)
	IndexID uint32   // p, u: the index
	Expr    ExprText // c: the CHECK expression
	// f: the foreign key and its referenced table.
	FK     *catalog.ForeignKey
	Ref    *catalog.Descriptor
	RefSch *catalog.Descriptor
}

// Constraints lists the constraints of the tables of the database.
func Constraints(c *Context) ([]Constraint, error) {
	all, err := objects(c)
	if err != nil {
		return nil, err
	}
	var out []Constraint
	for _, d := range all {
		if d.Table == nil {
			continue
		}
		sc := schemaOf(all, d.SchemaID)
		if d.Table.PrimaryKeyName != "" {
			out = append(out, Constraint{OID: subOID(d, subConstraint, 1), Name: d.Table.PrimaryKeyName, Table: d, Schema: sc,
				Type: "p", Cols: d.Table.PrimaryKey, IndexID: 1})
		}
		for _, ix := range d.Table.Indexes {
			if ix.Constraint {
				out = append(out, Constraint{OID: subOID(d, subConstraint, int(ix.ID)), Name: ix.Name, Table: d, Schema: sc,
					Type: "u", Cols: ix.Columns, IndexID: ix.ID})
			}
		}
		for i := range d.Table.ForeignKeys {
			fk := &d.Table.ForeignKeys[i]
			var ref *catalog.Descriptor
			for _, r := range all {
				if r.ID == fk.RefTable {
					ref = r
				}
			}
			if ref == nil || ref.Table == nil {
				continue
			}
			keyID, _ := ref.Table.ReferencedKey(fk.RefColumns)
			out = append(out, Constraint{OID: subOID(d, subForeignKey, i), Name: fk.Name, Table: d, Schema: sc, Type: "f",
				Cols: fk.Columns, IndexID: keyID, FK: fk, Ref: ref, RefSch: schemaOf(all, ref.SchemaID)})
		}
		if len(d.Table.Checks) > 0 {
			_, exprs := c.tableExprs(d)
			for i, ch := range d.Table.Checks {
				out = append(out, Constraint{OID: subOID(d, subCheck, i), Name: ch.Name, Table: d, Schema: sc, Type: "c", Expr: exprs[i]})
			}
		}
	}
	return out, nil
}

// int2Vector builds an int2vector (lower bound 0).
func int2Vector(vals []int64) *types.DArray {
	return vectorOf(vals)
}

func vectorOf(vals []int64) *types.DArray {
	if len(vals) == 0 {
		return &types.DArray{}
	}
	elems := make([]types.Datum, len(vals))
	for i, v := range vals {
		elems[i] = v
	}
	return &types.DArray{Dims: []types.ArrayDim{{Len: int32(len(vals)), Lower: 0}}, Elems: elems}
}

func int2Array(vals []uint32) *types.DArray {
	elems := make([]types.Datum, len(vals))
	for i, v := range vals {
		elems[i] = int64(v)
	}
	return types.NewArray1(elems)
}

var (
	opclassOnce   sync.Once
	opclassByType map[int64]int64 // input type OID -> default btree opclass
)

// defaultOpclass returns the OID of the default btree operator class for
// values of type t (pg_opclass bootstrap rows), 0 if none.
func defaultOpclass(t types.T) int64 {
	opclassOnce.Do(func() {
		opclassByType = map[int64]int64{}
		cols := types.CatalogTableColumns("pg_opclass")
		idx := func(name string) int {
			for i, c := range cols {
				if c.Name == name {
					return i
				}
			}
			return -1
		}
		oid, method, intype, def := idx("oid"), idx("opcmethod"), idx("opcintype"), idx("opcdefault")
		for _, r := range types.CatalogTableRows("pg_opclass") {
			if r[method] != "403" || r[def] != "t" {
				continue
			}
			var o, it int64
			fmt.Sscan(r[oid], &o)
			fmt.Sscan(r[intype], &it)
			opclassByType[it] = o
		}
	})
	oid := int64(t.Oid)
	switch {
	case t.IsArray():
		oid = 2277 // anyarray
	case t.Oid == types.OidVarchar || t.Oid == types.OidName:
		oid = int64(types.OidText) // text_ops serves varchar; name has name_ops
		if t.Oid == types.OidName {
			oid = int64(types.OidName)
		}
	}
	return opclassByType[oid]
}

func registerPgCatalog() {
	catalogTable("pg_namespace", func(c *Context) ([]catalogRow, error) {
		all, err := objects(c)
		if err != nil {
			return nil, err
		}
		rows := []catalogRow{{"oid": int64(InformationSchemaOID), "nspname": "information_schema", "nspowner": int64(SuperuserOID)}}
		for _, d := range all {
			if d.Kind == catalog.KindSchema && d.Name != "public" {
				rows = append(rows, catalogRow{"oid": OID(d), "nspname": d.Name, "nspowner": int64(SuperuserOID)})
			}
		}
		return rows, nil
	})
	catalogTable("pg_class", pgClassRows)
	catalogTable("pg_attribute", pgAttributeRows)
	catalogTable("pg_type", pgTypeRows)
	catalogTable("pg_index", pgIndexRows)
	catalogTable("pg_constraint", func(c *Context) ([]catalogRow, error) {
		cons, err := Constraints(c)
		if err != nil {
			return nil, err
		}
		var rows []catalogRow
		for _, k := range cons {
			r := catalogRow{"oid": k.OID, "conname": k.Name, "connamespace": OID(k.Schema), "contype": k.Type,
				"condeferrable": false, "condeferred": false, "convalidated": true, "conrelid": OID(k.Table),
				"confupdtype": " ", "confdeltype": " ", "confmatchtype": " ", "conislocal": true, "connoinherit": k.Type == "c" && false}
			if len(k.Cols) > 0 {
				r["conkey"] = int2Array(k.Cols)
			}
			if k.IndexID != 0 {
				r["conindid"] = indexOID(k.Table, k.IndexID)
			}
			if k.FK != nil {
				r["conindid"] = indexOID(k.Ref, k.IndexID)
				r["confrelid"] = OID(k.Ref)
				r["confkey"] = int2Array(k.FK.RefColumns)
				r["confupdtype"], r["confdeltype"], r["confmatchtype"] = k.FK.OnUpdate, k.FK.OnDelete, k.FK.Match
				r["condeferrable"], r["condeferred"] = k.FK.Deferrable, k.FK.InitiallyDeferred
			}
			if k.Type == "c" {
				r["conbin"] = k.Expr.Pretty
			}
			rows = append(rows, r)
		}
		return rows, nil
	})
	catalogTable("pg_attrdef", func(c *Context) ([]catalogRow, error) {
		all, err := objects(c)
		if err != nil {
			return nil, err
		}
		var rows []catalogRow
		for _, d := range all {
			if d.Table == nil {
				continue
			}
			var defs map[uint32]ExprText
			for _, col := range d.Table.Columns {
				if (col.Default != "" && col.Identity == "" || col.Generated != "") && !col.Hidden {
					if defs == nil {
						defs, _ = c.tableExprs(d)
					}
					rows = append(rows, catalogRow{"oid": subOID(d, subAttrDef, int(col.ID)), "adrelid": OID(d), "adnum": int64(col.ID), "adbin": defs[col.ID].Pretty})
				}
			}
		}
		return rows, nil
	})
	catalogTable("pg_am", nil)
	catalogTable("pg_opclass", nil)
	catalogTable("pg_opfamily", nil)
	catalogTable("pg_collation", nil)
	catalogTable("pg_language", nil)
	catalogTable("pg_tablespace", nil)
	catalogTable("pg_proc", nil)
	catalogTable("pg_cast", nil)
	catalogTable("pg_operator", nil)
	catalogTable("pg_range", nil)
	// Comments are not stored yet; the public schema has PostgreSQL's
	// standard one (pg_dump relies on it to leave the schema alone).
	catalogTable("pg_description", func(c *Context) ([]catalogRow, error) {
		ds, err := Descriptions(c)
		if err != nil {
			return nil, err
		}
		rows := make([]catalogRow, len(ds))
		for i, d := range ds {
			rows[i] = catalogRow{"objoid": d.ObjOID, "classoid": d.ClassOID, "objsubid": d.SubID, "description": d.Text}
		}
		return rows, nil
	})
	catalogTable("pg_enum", func(c *Context) ([]catalogRow, error) {
		all, err := objects(c)
		if err != nil {
			return nil, err
		}
		var rows []catalogRow
		for _, d := range all {
			if d.Enum == nil {
				continue
			}
			for i, l := range d.Enum.Labels {
				rows = append(rows, catalogRow{"oid": subOID(d, subRowType, 2+i), "enumtypid": int64(d.TypeOID()),
					"enumsortorder": d.Enum.Sort[i], "enumlabel": l})
			}
		}
		return rows, nil
	})
	catalogTable("pg_rewrite", func(c *Context) ([]catalogRow, error) {
		all, err := objects(c)
		if err != nil {
			return nil, err
		}
		var rows []catalogRow
		for _, d := range all {
			if d.View != nil {
				rows = append(rows, catalogRow{"oid": rewriteOID(d), "rulename": "_RETURN", "ev_class": OID(d), "ev_type": "1",
					"ev_enabled": "O", "is_instead": true})
			}
		}
		return rows, nil
	})
	for _, empty := range []string{"pg_inherits", "pg_trigger", "pg_policy", "pg_statistic_ext",
		"pg_publication", "pg_publication_rel", "pg_publication_namespace", "pg_auth_members",
		"pg_foreign_table", "pg_foreign_server", "pg_foreign_data_wrapper", "pg_event_trigger", "pg_partitioned_table",
		"pg_aggregate", "pg_shdescription", "pg_seclabel", "pg_init_privs", "pg_default_acl", "pg_transform",
		"pg_largeobject_metadata", "pg_subscription", "pg_statistic", "pg_conversion", "pg_ts_config", "pg_ts_dict",
		"pg_ts_parser", "pg_ts_template", "pg_amop", "pg_amproc", "pg_db_role_setting", "pg_user_mapping"} {
		catalogTable(empty, func(*Context) ([]catalogRow, error) { return nil, nil })
	}
	catalogTable("pg_extension", func(c *Context) ([]catalogRow, error) {
		rows := []catalogRow{{"oid": int64(13500), "extname": "plpgsql", "extowner": int64(SuperuserOID), "extnamespace": int64(PgCatalogOID),
			"extrelocatable": false, "extversion": "1.0"}}
		db, err := c.Cat.ByID(c.Ctx, c.DBID)
		if err != nil || db == nil {
			return rows, err
		}
		for i, name := range db.Extensions {
			ext := AvailableExtensions[name]
			rows = append(rows, catalogRow{"oid": extensionOID(i), "extname": name, "extowner": int64(SuperuserOID),
				"extnamespace": int64(2200), "extrelocatable": ext.Relocatable, "extversion": ext.Version})
		}
		return rows, nil
	})
	catalogTable("pg_depend", func(c *Context) ([]catalogRow, error) {
		// Sequences owned by their serial/identity columns ('a', or 'i'
		// for identity), which Django reads to find them.
		all, err := objects(c)
		if err != nil {
			return nil, err
		}
		var rows []catalogRow
		for _, d := range all {
			if d.View != nil {
				// A view's _RETURN rule depends on what its query names
				// (pg_dump orders views after their tables so).
				rule := rewriteOID(d)
				rows = append(rows, catalogRow{"classid": int64(2618), "objid": rule, "objsubid": int64(0),
					"refclassid": int64(1259), "refobjid": OID(d), "refobjsubid": int64(0), "deptype": "i"})
				for _, id := range d.View.DependsOn {
					for _, r := range all {
						if r.ID == id && r.ID != d.ID {
							rows = append(rows, catalogRow{"classid": int64(2618), "objid": rule, "objsubid": int64(0),
								"refclassid": int64(1259), "refobjid": OID(r), "refobjsubid": int64(0), "deptype": "n"})
						}
					}
				}
			}
			if d.Table == nil {
				continue
			}
			for _, seqID := range d.Table.OwnedSequences {
				for _, s := range all {
					if s.ID != seqID {
						continue
					}
					col, deptype := int64(0), "a"
					for _, cc := range d.Table.Columns {
						if strings.Contains(cc.Default, s.Name) {
							col = int64(cc.ID)
							if cc.Identity != "" {
								deptype = "i"
							}
						}
					}
					rows = append(rows, catalogRow{"classid": int64(1259), "objid": OID(s), "objsubid": int64(0),
						"refclassid": int64(1259), "refobjid": OID(d), "refobjsubid": col, "deptype": deptype})
					if col > 0 && deptype == "a" {
						// The column default (nextval) depends on the
						// sequence.
						rows = append(rows, catalogRow{"classid": int64(2604), "objid": subOID(d, subAttrDef, int(col)), "objsubid": int64(0),
							"refclassid": int64(1259), "refobjid": OID(s), "refobjsubid": int64(0), "deptype": "n"})
					}
				}
			}
		}
		return rows, nil
	})
	catalogTable("pg_sequence", func(c *Context) ([]catalogRow, error) {
		all, err := objects(c)
		if err != nil {
			return nil, err
		}
		var rows []catalogRow
		for _, d := range all {
			if d.Sequence == nil {
				continue
			}
			o := d.Sequence
			t := types.Int8
			if tt, ok, _ := types.FromName(o.TypeName, nil); ok && o.TypeName != "" {
				t = tt
			}
			rows = append(rows, catalogRow{"seqrelid": OID(d), "seqtypid": int64(t.Oid), "seqstart": o.Start, "seqincrement": o.Increment,
				"seqmax": o.Max, "seqmin": o.Min, "seqcache": int64(1), "seqcycle": o.Cycle})
		}
		return rows, nil
	})
	catalogTable("pg_database", func(c *Context) ([]catalogRow, error) {
		all, err := c.Cat.List(c.Ctx)
		if err != nil {
			return nil, err
		}
		var rows []catalogRow
		for _, d := range all {
			if d.Kind == catalog.KindDatabase {
				rows = append(rows, catalogRow{"oid": OID(d), "datname": d.Name, "datdba": int64(SuperuserOID), "encoding": int64(6),
					"datlocprovider": "c", "datistemplate": false, "datallowconn": true, "datconnlimit": int64(-1),
					"datfrozenxid": int64(716), "datminmxid": int64(1), "dattablespace": int64(1663), "datcollate": "C.UTF-8", "datctype": "C.UTF-8"})
			}
		}
		return rows, nil
	})
	catalogTable("pg_authid", func(c *Context) ([]catalogRow, error) {
		return []catalogRow{
			{"oid": int64(SuperuserOID), "rolname": c.User, "rolsuper": true, "rolinherit": true, "rolcreaterole": true, "rolcreatedb": true,
				"rolcanlogin": true, "rolreplication": true, "rolbypassrls": true, "rolconnlimit": int64(-1)},
			{"oid": int64(DatabaseOwnerOID), "rolname": "pg_database_owner", "rolinherit": true, "rolconnlimit": int64(-1)},
		}, nil
	})
}

func pgClassRows(c *Context) ([]catalogRow, error) {
	all, err := objects(c)
	if err != nil {
		return nil, err
	}
	var rows []catalogRow
	base := func(oid int64, name string, ns int64, kind string) catalogRow {
		return catalogRow{"oid": oid, "relname": name, "relnamespace": ns, "relowner": int64(SuperuserOID), "relfilenode": oid,
			"relpages": int64(0), "reltuples": float64(-1), "relpersistence": "p", "relkind": kind, "relispopulated": true,
			"relreplident": "n", "relfrozenxid": int64(0), "relminmxid": int64(0)}
	}
	for _, d := range all {
		sc := schemaOf(all, d.SchemaID)
		if sc == nil || d.Kind == catalog.KindSchema || d.Kind == catalog.KindDatabase || d.Kind == catalog.KindType {
			continue
		}
		r := base(OID(d), d.Name, OID(sc), relkind(d))
		switch {
		case d.Table != nil:
			natts := int64(0)
			for _, col := range d.Table.Columns {
				if !col.Hidden {
					natts++
				}
			}
			r["relnatts"] = natts
			r["relchecks"] = int64(len(d.Table.Checks))
			r["relhasindex"] = d.Table.PrimaryKeyName != "" || len(d.Table.Indexes) > 0
			r["relam"] = int64(2) // heap
			r["reltype"] = RowTypeOID(d)
			r["relreplident"] = "d"
			// PostgreSQL enforces foreign keys with triggers; psql shows
			// them only for tables that have some.
			r["relhastriggers"] = len(d.Table.ForeignKeys) > 0 || len(d.Table.ReferencedBy) > 0
		case d.View != nil:
			r["relnatts"] = int64(len(d.View.Columns))
			r["reltype"] = RowTypeOID(d)
			r["relfilenode"] = int64(0)
		}
		rows = append(rows, r)
		if d.Table == nil {
			continue
		}
		// Indexes are relations too.
		idx := func(name string, id uint32, n int, am int64) {
			ir := base(indexOID(d, id), name, OID(sc), "i")
			ir["relam"] = am
			ir["relnatts"] = int64(n)
			rows = append(rows, ir)
		}
		if d.Table.PrimaryKeyName != "" {
			idx(d.Table.PrimaryKeyName, 1, len(d.Table.PrimaryKey), 403)
		}
		for _, ix := range d.Table.Indexes {
			am := int64(403)
			if ix.IsGIN() {
				am = 2742
			}
			idx(ix.Name, ix.ID, len(ix.Columns), am)
		}
	}
	// The virtual tables of pg_catalog and information_schema.
	for _, full := range Names() {
		scn, nm, _ := strings.Cut(full, ".")
		ns := int64(PgCatalogOID)
		if scn == "information_schema" {
			ns = InformationSchemaOID
		}
		kind := "v"
		if _, ok := types.CatalogTableOid(nm); ok && scn == "pg_catalog" {
			kind = "r"
		}
		r := base(VirtualTableOID(scn, nm), nm, ns, kind)
		r["relnatts"] = int64(len(Lookup(scn, nm).Cols))
		if kind == "r" {
			r["relam"] = int64(2)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// attrRow is a pg_attribute row for a column of type t.
func attrRow(rel int64, name string, t types.T, num int64) catalogRow {
	coll := int64(0)
	if t.IsString() && t.Oid != types.OidUnknown && t.Oid != types.OidChar {
		coll = 100
		if t.Oid == types.OidName {
			coll = 950
		}
	}
	ndims := int64(0)
	if t.IsArray() && !t.IsVector() {
		ndims = 1
	}
	align, storage, byval := "i", "p", false
	if pt, ok := types.LookupPgType(t.Oid); ok {
		align, storage, byval = string(pt.Align), string(pt.Storage), pt.ByVal
	}
	return catalogRow{"attrelid": rel, "attname": name, "atttypid": int64(t.Oid), "attstattarget": int64(-1),
		"attlen": int64(t.Size()), "attnum": num, "attndims": ndims, "attcacheoff": int64(-1), "atttypmod": int64(t.Typmod),
		"attbyval": byval, "attalign": align, "attstorage": storage, "attcompression": "", "attidentity": "", "attgenerated": "",
		"attislocal": true, "attcollation": coll}
}

// systemColumns are the system columns every table has (attnum < 0).
var systemColumns = []struct {
	name string
	oid  types.Oid
	num  int64
}{{"tableoid", types.OidOid, -6}, {"cmax", 29, -5}, {"xmax", 28, -4}, {"cmin", 29, -3}, {"xmin", 28, -2}, {"ctid", 27, -1}}

func pgAttributeRows(c *Context) ([]catalogRow, error) {
	all, err := objects(c)
	if err != nil {
		return nil, err
	}
	var rows []catalogRow
	for _, d := range all {
		if d.View != nil && c.ViewTypes != nil {
			// A view's columns, typed by binding its query.
			if ts := c.ViewTypes(d); len(ts) == len(d.View.Columns) {
				for i, name := range d.View.Columns {
					rows = append(rows, attrRow(OID(d), name, ts[i], int64(i+1)))
				}
			}
			continue
		}
		if d.Table == nil {
			continue
		}
		for _, sys := range systemColumns {
			r := attrRow(OID(d), sys.name, types.T{Oid: sys.oid, Typmod: -1}, sys.num)
			r["attnotnull"] = true
			if pt, ok := types.LookupPgType(sys.oid); ok {
				r["attlen"] = int64(pt.Len)
				r["attbyval"] = pt.ByVal
				r["attalign"] = string(pt.Align)
			}
			rows = append(rows, r)
		}
		for _, col := range d.Table.Columns {
			if col.Hidden {
				continue
			}
			// attnum is the column ID: stable across DROP COLUMN (which
			// leaves a gap, as in PostgreSQL) and what RowDescription
			// reports.
			r := attrRow(OID(d), col.Name, col.Type, int64(col.ID))
			r["attnotnull"] = col.NotNull
			r["atthasdef"] = col.Default != "" && col.Identity == "" || col.Generated != ""
			r["attidentity"] = col.Identity
			if col.Generated != "" {
				r["attgenerated"] = "s"
			}
			rows = append(rows, r)
		}
		// Index columns.
		idx := func(id uint32, colIDs []uint32) {
			for i, cid := range colIDs {
				if col, _, ok := d.Table.ColumnByID(cid); ok {
					rows = append(rows, attrRow(indexOID(d, id), col.Name, col.Type, int64(i+1)))
				}
			}
		}
		if d.Table.PrimaryKeyName != "" {
			idx(1, d.Table.PrimaryKey)
		}
		for _, ix := range d.Table.Indexes {
			idx(ix.ID, ix.Columns)
		}
	}
	return rows, nil
}

func pgTypeRows(c *Context) ([]catalogRow, error) {
	var rows []catalogRow
	reg := func(name string) int64 {
		o, _ := types.ProcOid(name)
		return int64(o)
	}
	for _, pt := range types.PgTypes() {
		r := catalogRow{"oid": int64(pt.Oid), "typname": pt.Name, "typnamespace": int64(PgCatalogOID), "typowner": int64(SuperuserOID),
			"typlen": int64(pt.Len), "typbyval": pt.ByVal, "typtype": string(pt.Type), "typcategory": string(pt.Category),
			"typispreferred": pt.Preferred, "typisdefined": true, "typdelim": string(pt.Delim), "typrelid": int64(pt.RelID),
			"typelem": int64(pt.Elem), "typarray": int64(pt.Array), "typinput": reg(pt.Input), "typoutput": reg(pt.Output),
			"typreceive": reg(pt.Receive), "typsend": reg(pt.Send), "typalign": string(pt.Align), "typstorage": string(pt.Storage),
			"typbasetype": int64(pt.BaseType), "typtypmod": int64(pt.TypMod), "typndims": int64(pt.NDims), "typcollation": int64(pt.Collation)}
		if pt.Category == 'A' && pt.Elem != 0 {
			r["typsubscript"] = reg("array_subscript_handler")
		}
		rows = append(rows, r)
	}
	// The row types of tables and views.
	all, err := objects(c)
	if err != nil {
		return nil, err
	}
	for _, d := range all {
		if d.Enum != nil {
			if sc := schemaOf(all, d.SchemaID); sc != nil {
				arr := int64(types.EnumArrayOid(d.TypeOID()))
				rows = append(rows, catalogRow{"oid": int64(d.TypeOID()), "typname": d.Name, "typnamespace": OID(sc), "typowner": int64(SuperuserOID),
					"typlen": int64(4), "typbyval": true, "typtype": "e", "typcategory": "E", "typisdefined": true, "typdelim": ",",
					"typarray": arr, "typinput": reg("enum_in"), "typoutput": reg("enum_out"), "typreceive": reg("enum_recv"), "typsend": reg("enum_send"),
					"typalign": "i", "typstorage": "p", "typtypmod": int64(-1)},
					catalogRow{"oid": arr, "typname": "_" + d.Name, "typnamespace": OID(sc), "typowner": int64(SuperuserOID),
						"typlen": int64(-1), "typtype": "b", "typcategory": "A", "typisdefined": true, "typdelim": ",", "typelem": int64(d.TypeOID()),
						"typinput": reg("array_in"), "typoutput": reg("array_out"), "typreceive": reg("array_recv"), "typsend": reg("array_send"),
						"typsubscript": reg("array_subscript_handler"), "typalign": "i", "typstorage": "x", "typtypmod": int64(-1)})
			}
			continue
		}
		if d.Table == nil && d.View == nil {
			continue
		}
		sc := schemaOf(all, d.SchemaID)
		if sc == nil {
			continue
		}
		rows = append(rows, catalogRow{"oid": RowTypeOID(d), "typname": d.Name, "typnamespace": OID(sc), "typowner": int64(SuperuserOID),
			"typlen": int64(-1), "typtype": "c", "typcategory": "C", "typisdefined": true, "typdelim": ",", "typrelid": OID(d),
			"typinput": reg("record_in"), "typoutput": reg("record_out"), "typreceive": reg("record_recv"), "typsend": reg("record_send"),
			"typalign": "d", "typstorage": "x", "typtypmod": int64(-1)})
	}
	return rows, nil
}

func pgIndexRows(c *Context) ([]catalogRow, error) {
	all, err := objects(c)
	if err != nil {
		return nil, err
	}
	var rows []catalogRow
	for _, d := range all {
		if d.Table == nil {
			continue
		}
		add := func(id uint32, colIDs []uint32, unique, primary bool, gin *catalog.Index) {
			keys, colls, classes, opts := make([]int64, len(colIDs)), make([]int64, len(colIDs)), make([]int64, len(colIDs)), make([]int64, len(colIDs))
			for i, cid := range colIDs {
				keys[i] = int64(cid)
				if col, _, ok := d.Table.ColumnByID(cid); ok {
					if col.Type.IsString() && col.Type.Oid != types.OidChar {
						colls[i] = 100
					}
					classes[i] = defaultOpclass(col.Type)
					if gin != nil {
						classes[i] = ginOpclass(col.Type, gin.OpClass)
					}
				}
			}
			n := int64(len(colIDs))
			rows = append(rows, catalogRow{"indexrelid": indexOID(d, id), "indrelid": OID(d), "indnatts": n, "indnkeyatts": n,
				"indisunique": unique, "indisprimary": primary, "indimmediate": true, "indisvalid": true, "indisready": true,
				"indislive": true, "indkey": int2Vector(keys), "indcollation": vectorOf(colls), "indclass": vectorOf(classes),
				"indoption": int2Vector(opts)})
		}
		if d.Table.PrimaryKeyName != "" {
			add(1, d.Table.PrimaryKey, true, true, nil)
		}
		for _, ix := range d.Table.Indexes {
			var gin *catalog.Index
			if ix.IsGIN() {
				gin = &ix
			}
			add(ix.ID, ix.Columns, ix.Unique, false, gin)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i]["indexrelid"].(int64) < rows[j]["indexrelid"].(int64) })
	return rows, nil
}

// ginOpclass returns the pg_opclass OID of a GIN index's operator class:
// jsonb_ops (or jsonb_path_ops) for jsonb, array_ops for arrays.
func ginOpclass(t types.T, name string) int64 {
	switch {
	case name == "jsonb_path_ops":
		return 4037
	case t.Oid == types.OidJSONB:
		return 4036
	}
	return 2745
}

// rewriteOID is the OID of a view's _RETURN rule (pg_rewrite).
func rewriteOID(d *catalog.Descriptor) int64 { return subOID(d, subRowType, 1) }

// Description is a pg_description row.
type Description struct {
	ObjOID, ClassOID, SubID int64
	Text                    string
}

// Descriptions lists the comments on objects (COMMENT ON), with
// PostgreSQL's comment on the public schema unless replaced.
func Descriptions(c *Context) ([]Description, error) {
	all, err := objects(c)
	if err != nil {
		return nil, err
	}
	var out []Description
	publicSet := false
	for _, d := range all {
		for key, text := range d.Comments {
			switch {
			case d.Kind == catalog.KindDatabase:
				continue // shared objects' comments live in pg_shdescription
			case key == "" && d.Kind == catalog.KindSchema:
				out = append(out, Description{OID(d), 2615, 0, text})
				publicSet = publicSet || d.ID == catalog.PublicSchemaID
			case key == "":
				out = append(out, Description{OID(d), 1259, 0, text})
			case key[0] == 'c':
				var id int64
				fmt.Sscan(key[1:], &id)
				out = append(out, Description{OID(d), 1259, id, text})
			case key[0] == 'i':
				var id uint32
				fmt.Sscan(key[1:], &id)
				out = append(out, Description{indexOID(d, id), 1259, 0, text})
			}
		}
	}
	if !publicSet {
		out = append(out, Description{2200, 2615, 0, "standard public schema"})
	}
	out = append(out, Description{13500, 3079, 0, "PL/pgSQL procedural language"})
	if db, err := c.Cat.ByID(c.Ctx, c.DBID); err == nil && db != nil {
		for i, name := range db.Extensions {
			text, set := db.Comments["x"+name]
			if !set {
				text = AvailableExtensions[name].Comment
			}
			if text != "" {
				out = append(out, Description{extensionOID(i), 3079, 0, text})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ObjOID != out[j].ObjOID {
			return out[i].ObjOID < out[j].ObjOID
		}
		return out[i].SubID < out[j].SubID
	})
	return out, nil
}

// DescriptionOf is obj_description/col_description: the comment on an
// object (classoid 0: any catalog), or false.
func DescriptionOf(c *Context, objOID, classOID, subID int64) (string, bool, error) {
	ds, err := Descriptions(c)
	if err != nil {
		return "", false, err
	}
	for _, d := range ds {
		if d.ObjOID == objOID && d.SubID == subID && (classOID == 0 || d.ClassOID == classOID) {
			return d.Text, true, nil
		}
	}
	return "", false, nil
}

// Extension describes an extension CREATE EXTENSION accepts: its
// functions are built in, so installing it records it (pg_extension,
// pg_dump) and makes nothing new callable.
type Extension struct {
	Version     string
	Relocatable bool
	Comment     string
}

// AvailableExtensions are the extensions besides plpgsql.
var AvailableExtensions = map[string]Extension{
	"pgcrypto":  {Version: "1.3", Relocatable: true, Comment: "cryptographic functions"},
	"uuid-ossp": {Version: "1.1", Relocatable: true, Comment: "generate universally unique identifiers (UUIDs)"},
}

// extensionOID is the OID of the i-th installed extension: above
// FirstNormalObjectId (16384), as pg_dump dumps only such extensions, and
// below the descriptor sub-object OIDs.
func extensionOID(i int) int64 { return subOIDBase - 4096 + int64(i) }
