package vtable

import (
	"strings"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/types"
)

func registerInformationSchema() {
	yn := func(b bool) string {
		if b {
			return "YES"
		}
		return "NO"
	}
	register(&Table{Schema: "information_schema", Name: "schemata", Cols: cols("catalog_name", tName, "schema_name", tName, "schema_owner", tName),
		Rows: func(c *Context) ([][]types.Datum, error) {
			all, err := objects(c)
			if err != nil {
				return nil, err
			}
			rows := [][]types.Datum{{c.Database, "information_schema", c.User}, {c.Database, "pg_catalog", c.User}}
			for _, d := range all {
				if d.Kind == catalog.KindSchema {
					rows = append(rows, []types.Datum{c.Database, d.Name, owner(d, c)})
				}
			}
			return rows, nil
		}})
	register(&Table{Schema: "information_schema", Name: "tables", Cols: cols("table_catalog", tName, "table_schema", tName,
		"table_name", tName, "table_type", tText, "is_insertable_into", tText, "is_typed", tText),
		Rows: func(c *Context) ([][]types.Datum, error) {
			all, err := objects(c)
			if err != nil {
				return nil, err
			}
			var rows [][]types.Datum
			for _, d := range all {
				if d.Kind != catalog.KindTable && d.Kind != catalog.KindView {
					continue
				}
				sc := schemaOf(all, d.SchemaID)
				if sc == nil {
					continue
				}
				typ := "BASE TABLE"
				if d.Kind == catalog.KindView {
					typ = "VIEW"
				}
				rows = append(rows, []types.Datum{c.Database, sc.Name, d.Name, typ, yn(d.Kind == catalog.KindTable), "NO"})
			}
			return rows, nil
		}})
	register(&Table{Schema: "information_schema", Name: "columns", Cols: cols("table_catalog", tName, "table_schema", tName,
		"table_name", tName, "column_name", tName, "ordinal_position", tInt4, "column_default", tText, "is_nullable", tText,
		"data_type", tText, "character_maximum_length", tInt4, "numeric_precision", tInt4, "numeric_precision_radix", tInt4,
		"numeric_scale", tInt4, "datetime_precision", tInt4, "udt_catalog", tName, "udt_schema", tName, "udt_name", tName,
		"is_identity", tText, "is_generated", tText, "generation_expression", tText, "is_updatable", tText),
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
				sc := schemaOf(all, d.SchemaID)
				if sc == nil {
					continue
				}
				pos := int64(0)
				for _, col := range d.Table.Columns {
					if col.Hidden {
						continue
					}
					pos++
					var def, maxLen, prec, radix, scale, dtPrec types.Datum
					if col.Default != "" {
						def = col.Default
					}
					t := col.Type
					if n, ok := t.VarcharLength(); ok {
						maxLen = int64(n)
					}
					switch t.Oid {
					case types.OidInt2:
						prec, radix, scale = int64(16), int64(2), int64(0)
					case types.OidInt4:
						prec, radix, scale = int64(32), int64(2), int64(0)
					case types.OidInt8:
						prec, radix, scale = int64(64), int64(2), int64(0)
					case types.OidFloat4:
						prec, radix = int64(24), int64(2)
					case types.OidFloat8:
						prec, radix = int64(53), int64(2)
					case types.OidNumeric:
						radix = int64(10)
						if p, s, ok := t.NumericPrecisionScale(); ok {
							prec, scale = int64(p), int64(s)
						}
					case types.OidDate:
						dtPrec = int64(0)
					case types.OidTimestamp, types.OidTimestampTZ, types.OidInterval:
						dtPrec = int64(6)
						if t.Typmod >= 0 {
							dtPrec = int64(t.Typmod)
						}
					}
					dataType := strings.TrimSuffix(t.WithoutTypmod().String(), "")
					generated, genExpr := "NEVER", types.Datum(nil)
					if col.Generated != "" {
						defs, _ := c.tableExprs(d)
						generated, genExpr, def = "ALWAYS", defs[col.ID].Plain, nil
					}
					udtSchema := "pg_catalog"
					switch {
					case t.IsArray():
						dataType = "ARRAY"
					case t.IsEnum():
						dataType = "USER-DEFINED"
						if e, ok := types.Enum(t.Oid); ok {
							udtSchema = e.Schema
						}
					}
					rows = append(rows, []types.Datum{c.Database, sc.Name, d.Name, col.Name, pos, def, yn(!col.NotNull),
						dataType, maxLen, prec, radix, scale, dtPrec, c.Database, udtSchema, t.TypName(), "NO", generated, genExpr, "YES"})
				}
			}
			return rows, nil
		}})
}
