package session

import (
	"context"
	"log/slog"
	"slices"

	"github.com/aegisdb/aegis/sql/bind"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/parser"
)

// Renames. PostgreSQL stores views, defaults and constraints as trees of
// OIDs, so renaming what they mention changes nothing in them; Aegis
// stores them as SQL text, so a rename rewrites every text that names
// the renamed object, in the same transaction, before the rename itself
// (the texts are rebound under the old names).

// followRenameInViews rewrites the queries of the views of the database
// that depend on the renamed relation (or on the table of the renamed
// column).
func (s *Session) followRenameInViews(ctx context.Context, cat *catalog.Catalog, r bind.ViewRename) error {
	target := r.Relation
	if target == 0 {
		target = r.Table
	}
	all, err := cat.List(ctx)
	if err != nil {
		return err
	}
	for _, d := range all {
		if d.Kind != catalog.KindView || d.ParentID != s.dbID || d.View == nil || !slices.Contains(d.View.DependsOn, target) {
			continue
		}
		b := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0)
		text, changed, err := b.RewriteViewQuery(d.View.Query, r)
		if err != nil {
			// The view no longer binds (it was broken before this
			// rename); leave it as it is.
			slog.Warn("view not rewritten for rename", "view", d.Name, "err", err)
			continue
		}
		if !changed {
			continue
		}
		d.View.Query = text
		if err := cat.UpdateTable(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// renameColumnInTable rewrites the expressions stored with table d
// (defaults, generation expressions, CHECK constraints, index
// expressions) for the rename of column old to new.
func renameColumnInTable(d *catalog.Descriptor, old, new string) error {
	var err error
	rename := func(text *string) {
		if err == nil && *text != "" {
			*text, err = bind.RenameColumnInExpr(*text, d.Name, old, new)
		}
	}
	t := d.Table
	for i := range t.Columns {
		rename(&t.Columns[i].Default)
		rename(&t.Columns[i].Generated)
	}
	for i := range t.Checks {
		rename(&t.Checks[i].Expr)
	}
	for i := range t.Indexes {
		for j := range t.Indexes[i].Exprs {
			rename(&t.Indexes[i].Exprs[j])
		}
	}
	return err
}

// followSequenceRename rewrites the column defaults of the database that
// name sequence sq (nextval('name'::regclass)) for its new schema and
// name, given before the change.
func (s *Session) followSequenceRename(ctx context.Context, cat *catalog.Catalog, sq *catalog.Descriptor, newSchema, newName string) error {
	oldSchema, err := cat.ByID(ctx, sq.SchemaID)
	if err != nil || oldSchema == nil {
		return err
	}
	match := func(name string) bool {
		parts, ok := parser.SplitQualifiedName(name)
		if !ok {
			return false
		}
		switch len(parts) {
		case 1:
			return oldSchema.Name == "public" && parts[0] == sq.Name
		case 2:
			return parts[0] == oldSchema.Name && parts[1] == sq.Name
		}
		return false
	}
	lit := parser.QuoteIdent(newName)
	if newSchema != "public" {
		lit = parser.QuoteIdent(newSchema) + "." + lit
	}
	all, err := cat.List(ctx)
	if err != nil {
		return err
	}
	for _, d := range all {
		if d.Kind != catalog.KindTable || d.ParentID != s.dbID || d.Table == nil {
			continue
		}
		changed := false
		for i, c := range d.Table.Columns {
			if c.Default == "" {
				continue
			}
			text, err := bind.RenameRegclassInExpr(c.Default, match, lit)
			if err != nil {
				return err
			}
			if text != c.Default {
				d.Table.Columns[i].Default = text
				changed = true
			}
		}
		if changed {
			if err := cat.UpdateTable(ctx, d); err != nil {
				return err
			}
		}
	}
	return nil
}
