package vtable

import (
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

func buildRegistry() {
	registerPgCatalog()
	roles := func(c *Context) ([][]types.Datum, error) {
		return [][]types.Datum{{int64(SuperuserOID), c.User, true, true, true, true, true, true, int64(-1), nil, true},
			{int64(DatabaseOwnerOID), "pg_database_owner", false, true, false, false, false, false, int64(-1), nil, false}}, nil
	}
	roleCols := cols("oid", tOid, "rolname", tName, "rolsuper", tBool, "rolinherit", tBool, "rolcreaterole", tBool,
		"rolcreatedb", tBool, "rolcanlogin", tBool, "rolreplication", tBool, "rolconnlimit", tInt4, "rolvaliduntil", types.TimestampTZ, "rolbypassrls", tBool)
	register(&Table{Schema: "pg_catalog", Name: "pg_roles", Cols: roleCols, Rows: roles})
	// Security labels are not supported: the view is empty.
	register(&Table{Schema: "pg_catalog", Name: "pg_seclabels", Cols: cols("objoid", tOid, "classoid", tOid, "objsubid", tInt4,
		"objtype", types.Text, "objnamespace", tOid, "objname", types.Text, "provider", types.Text, "label", types.Text),
		Rows: func(*Context) ([][]types.Datum, error) { return nil, nil }})
	register(&Table{Schema: "pg_catalog", Name: "pg_user", Cols: cols("usename", tName, "usesysid", tOid, "usecreatedb", tBool, "usesuper", tBool),
		Rows: func(c *Context) ([][]types.Datum, error) {
			return [][]types.Datum{{c.User, int64(SuperuserOID), true, true}}, nil
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
	register(&Table{Schema: "pg_catalog", Name: "pg_stat_activity", Cols: cols("datid", tOid, "datname", tName, "pid", tInt4,
		"leader_pid", tInt4, "usesysid", tOid, "usename", tName, "application_name", tText, "client_addr", tText,
		"client_hostname", tText, "client_port", tInt4, "backend_start", types.TimestampTZ, "xact_start", types.TimestampTZ,
		"query_start", types.TimestampTZ, "state_change", types.TimestampTZ, "wait_event_type", tText, "wait_event", tText,
		"state", tText, "backend_xid", tText, "backend_xmin", tText, "query_id", types.Int8, "query", tText, "backend_type", tText),
		Rows: func(c *Context) ([][]types.Datum, error) {
			if c.Activity == nil {
				return nil, nil
			}
			var rows [][]types.Datum
			for _, a := range c.Activity() {
				dboid := a.DBOID + UserOIDBase
				if a.DBOID == int64(catalog.PostgresDBID) {
					dboid = 5
				}
				rows = append(rows, []types.Datum{dboid, a.Database, a.PID, nil, int64(SuperuserOID), a.User, a.Application,
					a.ClientAddr, nil, a.ClientPort, a.BackendStart, a.XactStart, a.QueryStart, a.StateChange, nil, nil,
					a.State, nil, nil, nil, a.Query, "client backend"})
			}
			return rows, nil
		}})
	regtypeArr, _ := types.ArrayOf(types.T{Oid: types.OidRegType, Typmod: -1})
	register(&Table{Schema: "pg_catalog", Name: "pg_prepared_statements", Cols: cols("name", tText, "statement", tText,
		"prepare_time", types.TimestampTZ, "parameter_types", regtypeArr, "from_sql", tBool, "generic_plans", types.Int8, "custom_plans", types.Int8),
		Rows: func(c *Context) ([][]types.Datum, error) {
			if c.Prepared == nil {
				return nil, nil
			}
			var rows [][]types.Datum
			for _, p := range c.Prepared() {
				params := make([]types.Datum, len(p.ParamTypes))
				for i, t := range p.ParamTypes {
					params[i] = int64(t.Oid)
				}
				rows = append(rows, []types.Datum{p.Name, p.Statement, p.PrepareTime, types.NewArray1(params), p.FromSQL, int64(0), int64(0)})
			}
			return rows, nil
		}})
	textArr, _ := types.ArrayOf(types.Text)
	register(&Table{Schema: "pg_catalog", Name: "pg_settings", Cols: cols("name", tText, "setting", tText, "unit", tText,
		"category", tText, "short_desc", tText, "extra_desc", tText, "context", tText, "vartype", tText, "source", tText,
		"min_val", tText, "max_val", tText, "enumvals", textArr, "boot_val", tText, "reset_val", tText, "sourcefile", tText,
		"sourceline", tInt4, "pending_restart", tBool),
		Rows: func(c *Context) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, s := range c.Settings() {
				source := "default"
				if s.Value != s.Default {
					source = "session"
				}
				rows = append(rows, []types.Datum{s.Name, s.Value, nil, "Ungrouped", s.Desc, nil, "user", s.VarType, source,
					nil, nil, nil, s.Default, s.Default, nil, nil, false})
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
