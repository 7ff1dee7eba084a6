package bind

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// fkDef is a FOREIGN KEY clause waiting for its table's columns and
// primary key (it may reference the table being created).
type fkDef struct {
	c    *pg.Constraint
	cols []string // the referencing columns
}

// ForeignKey binds a FOREIGN KEY constraint of table desc on columns
// cols: the referenced table and columns (its primary key by default)
// must exist, be the columns of its primary key or of a unique
// constraint, and have comparable types. self is desc itself when the
// constraint belongs to a table being created (which may reference
// itself).
func (b *Binder) ForeignKey(desc *catalog.Descriptor, c *pg.Constraint, cols []string) (catalog.ForeignKey, error) {
	fk := catalog.ForeignKey{Name: c.Conname, OnDelete: fkAction(c.FkDelAction), OnUpdate: fkAction(c.FkUpdAction), Match: "s",
		Deferrable: c.Deferrable, InitiallyDeferred: c.Initdeferred}
	switch c.FkMatchtype {
	case "f":
		fk.Match = "f"
	case "p":
		return fk, b.errAt(pgerror.Unimplemented("MATCH PARTIAL not yet implemented"), c.Location)
	}
	if len(c.FkDelSetCols) > 0 {
		return fk, b.errAt(pgerror.Unimplemented("ON DELETE SET NULL/DEFAULT with a column list is not supported yet"), c.Location)
	}
	var ref *catalog.Descriptor
	if c.Pktable.Relname == desc.Name && (c.Pktable.Schemaname == "" || desc.ID == 0) {
		ref = desc
	} else {
		var err error
		if ref, err = b.ResolveTable(c.Pktable); err != nil {
			return fk, err
		}
	}
	fk.RefTable = ref.ID
	for _, name := range cols {
		col, _, ok := desc.Table.ColumnByName(name)
		if !ok || col.Hidden {
			return fk, b.errAt(pgerror.New(pgerror.UndefinedColumn, "column %q referenced in foreign key constraint does not exist", name), c.Location)
		}
		fk.Columns = append(fk.Columns, col.ID)
	}
	refNames := stringList(c.PkAttrs)
	if len(refNames) == 0 {
		if ref.Table.PrimaryKeyName == "" {
			return fk, b.errAt(pgerror.New(pgerror.UndefinedObject, "there is no primary key for referenced table %q", ref.Name), c.Location)
		}
		fk.RefColumns = append(fk.RefColumns, ref.Table.PrimaryKey...)
	} else {
		for _, name := range refNames {
			col, _, ok := ref.Table.ColumnByName(name)
			if !ok || col.Hidden {
				return fk, b.errAt(pgerror.New(pgerror.UndefinedColumn, "column %q referenced in foreign key constraint does not exist", name), c.Location)
			}
			fk.RefColumns = append(fk.RefColumns, col.ID)
		}
	}
	if len(fk.Columns) != len(fk.RefColumns) {
		return fk, b.errAt(pgerror.New(pgerror.InvalidForeignKey, "number of referencing and referenced columns for foreign key disagree"), c.Location)
	}
	if _, ok := ref.Table.ReferencedKey(fk.RefColumns); !ok {
		return fk, pgerror.New(pgerror.InvalidForeignKey, "there is no unique constraint matching given keys for referenced table %q", ref.Name)
	}
	for i := range fk.Columns {
		a, _, _ := desc.Table.ColumnByID(fk.Columns[i])
		r, _, _ := ref.Table.ColumnByID(fk.RefColumns[i])
		if !fkComparable(a.Type, r.Type) {
			name := fk.Name
			if name == "" {
				name = ChooseName(desc.Name, strings.Join(cols, "_"), "fkey")
			}
			return fk, pgerror.New(pgerror.DatatypeMismatch, "foreign key constraint %q cannot be implemented", name).
				WithDetail("Key columns %q and %q are of incompatible types: %s and %s.", a.Name, r.Name, a.Type, r.Type)
		}
	}
	if fk.Name == "" {
		fk.Name = ChooseName(desc.Name, strings.Join(cols, "_"), "fkey")
	}
	return fk, nil
}

// fkComparable reports whether values of types a and b can be matched
// by a foreign key (PostgreSQL requires an equality operator between
// them: same category, or both string types).
func fkComparable(a, b types.T) bool {
	if a.Oid == b.Oid {
		return true
	}
	if numericRank(a) > 0 && numericRank(b) > 0 {
		return true
	}
	return a.Family() == b.Family() && a.Family() != types.ArrayFamily
}

func fkAction(s string) string {
	switch s {
	case "r", "c", "n", "d":
		return s
	}
	return "a"
}
