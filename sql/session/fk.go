package session

import (
	"context"
	"fmt"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/bind"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// Foreign keys in DDL: the referenced tables keep back-references
// (Table.ReferencedBy) so that their writes find the constraints to
// enforce without reading the whole catalog.

// linkForeignKeys records child in the ReferencedBy list of every table
// its foreign keys reference.
func (s *Session) linkForeignKeys(ctx context.Context, cat *catalog.Catalog, child *catalog.Descriptor) error {
	for _, fk := range child.Table.ForeignKeys {
		parent := child
		if fk.RefTable != child.ID {
			p, err := cat.ByID(ctx, fk.RefTable)
			if err != nil {
				return err
			}
			if p == nil || p.Table == nil {
				return pgerror.New(pgerror.UndefinedTable, "referenced table of %q does not exist", fk.Name)
			}
			parent = p
		}
		if slices.Contains(parent.Table.ReferencedBy, child.ID) {
			continue
		}
		parent.Table.ReferencedBy = append(parent.Table.ReferencedBy, child.ID)
		if err := cat.UpdateTable(ctx, parent); err != nil {
			return err
		}
	}
	return nil
}

// unlinkForeignKeys removes child from the ReferencedBy lists of the
// tables it no longer references (all of them when dropping is set).
func (s *Session) unlinkForeignKeys(ctx context.Context, cat *catalog.Catalog, child *catalog.Descriptor, parents []uint32, dropping bool) error {
	for _, pid := range parents {
		if pid == child.ID {
			continue
		}
		still := false
		for _, fk := range child.Table.ForeignKeys {
			still = still || (!dropping && fk.RefTable == pid)
		}
		if still {
			continue
		}
		p, err := cat.ByID(ctx, pid)
		if err != nil {
			return err
		}
		if p == nil || p.Table == nil {
			continue
		}
		if i := slices.Index(p.Table.ReferencedBy, child.ID); i >= 0 {
			p.Table.ReferencedBy = slices.Delete(p.Table.ReferencedBy, i, i+1)
			if err := cat.UpdateTable(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// refTables lists the distinct tables d's foreign keys reference.
func refTables(d *catalog.Descriptor) []uint32 {
	var out []uint32
	for _, fk := range d.Table.ForeignKeys {
		if !slices.Contains(out, fk.RefTable) {
			out = append(out, fk.RefTable)
		}
	}
	return out
}

// dropReferencingConstraints handles DROP TABLE of a table other tables
// reference: without CASCADE it fails (2BP01); with it the referencing
// foreign keys are dropped, with a notice each.
func (s *Session) dropReferencingConstraints(ctx context.Context, cat *catalog.Catalog, parent *catalog.Descriptor, cascade bool) error {
	var deps []string
	var children []*catalog.Descriptor
	for _, cid := range parent.Table.ReferencedBy {
		if cid == parent.ID {
			continue
		}
		child, err := cat.ByID(ctx, cid)
		if err != nil {
			return err
		}
		if child == nil || child.Table == nil {
			continue
		}
		for _, fk := range child.Table.ForeignKeys {
			if fk.RefTable == parent.ID {
				deps = append(deps, fmt.Sprintf("constraint %s on table %s", fk.Name, child.Name))
			}
		}
		children = append(children, child)
	}
	if len(deps) == 0 {
		return nil
	}
	if !cascade {
		return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop table %s because other objects depend on it", parent.Name).
			WithDetail("%s depends on table %s", strings.Join(deps, " depends on table "+parent.Name+"\n"), parent.Name).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	if len(deps) == 1 {
		_ = s.notice(noticef(pgerror.SuccessfulCompletion, "drop cascades to %s", deps[0]))
	} else {
		n := noticef(pgerror.SuccessfulCompletion, "drop cascades to %d other objects", len(deps))
		n = n.WithDetail("%s", "drop cascades to "+strings.Join(deps, "\ndrop cascades to "))
		_ = s.notice(n)
	}
	for _, child := range children {
		var kept []catalog.ForeignKey
		for _, fk := range child.Table.ForeignKeys {
			if fk.RefTable != parent.ID {
				kept = append(kept, fk)
			}
		}
		child.Table.ForeignKeys = kept
		if err := cat.UpdateTable(ctx, child); err != nil {
			return err
		}
	}
	return nil
}

// addForeignKey is ALTER TABLE ... ADD [CONSTRAINT name] FOREIGN KEY:
// the existing rows must satisfy it (unless NOT VALID).
func (s *Session) addForeignKey(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, desc *catalog.Descriptor, c *pg.Constraint) error {
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0)
	fk, err := b.ForeignKey(desc, c, stringListOf(c.FkAttrs))
	if err != nil {
		return err
	}
	for _, existing := range desc.Table.ForeignKeys {
		if existing.Name == fk.Name {
			return pgerror.New(pgerror.DuplicateObject, "constraint %q for relation %q already exists", fk.Name, desc.Name)
		}
	}
	if !c.SkipValidation {
		parent := desc
		if fk.RefTable != desc.ID {
			if parent, err = cat.ByID(ctx, fk.RefTable); err != nil {
				return err
			}
		}
		var conds, notNull, cols []string
		for i := range fk.Columns {
			cc, _, _ := desc.Table.ColumnByID(fk.Columns[i])
			pc, _, _ := parent.Table.ColumnByID(fk.RefColumns[i])
			conds = append(conds, fmt.Sprintf("p.%s = c.%s", parser.QuoteIdent(pc.Name), parser.QuoteIdent(cc.Name)))
			notNull = append(notNull, fmt.Sprintf("c.%s IS NOT NULL", parser.QuoteIdent(cc.Name)))
			cols = append(cols, parser.QuoteIdent(cc.Name))
		}
		var texts []string
		for _, c := range cols {
			texts = append(texts, "c."+c+"::text")
		}
		q := fmt.Sprintf("SELECT %s FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s) LIMIT 1",
			strings.Join(texts, ", "), s.qualified(ctx, cat, desc), strings.Join(notNull, " AND "),
			s.qualified(ctx, cat, parent), strings.Join(conds, " AND "))
		var bad []string
		if _, err := s.internalQuery(ctx, txn, q, func(row []types.Datum) error {
			for _, d := range row {
				bad = append(bad, fmt.Sprint(d))
			}
			return nil
		}); err != nil {
			return err
		}
		if bad != nil {
			e := pgerror.New(pgerror.ForeignKeyViolation, "insert or update on table %q violates foreign key constraint %q", desc.Name, fk.Name).
				WithDetail("Key (%s)=(%s) is not present in table %q.", strings.Join(cols, ", "), strings.Join(bad, ", "), parent.Name)
			e.ConstraintName = fk.Name
			return e
		}
	}
	desc.Table.ForeignKeys = append(desc.Table.ForeignKeys, fk)
	if err := cat.UpdateTable(ctx, desc); err != nil {
		return err
	}
	return s.linkForeignKeys(ctx, cat, desc)
}
