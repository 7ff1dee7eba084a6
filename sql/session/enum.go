package session

import (
	"context"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// typeTarget splits a type's qualified name into its schema and name.
func (s *Session) typeTarget(ctx context.Context, cat *catalog.Catalog, names []string) (*catalog.Descriptor, string, error) {
	schema := ""
	if len(names) > 1 {
		schema = names[len(names)-2]
	}
	sc, err := s.schemaFor(ctx, cat, schema)
	if err != nil {
		return nil, "", err
	}
	return sc, names[len(names)-1], nil
}

// lookupType finds a user-defined type by name (nil when absent).
func (s *Session) lookupType(ctx context.Context, cat *catalog.Catalog, names []string) (*catalog.Descriptor, error) {
	sc, name, err := s.typeTarget(ctx, cat, names)
	if err != nil {
		return nil, err
	}
	d, err := cat.Relation(ctx, s.dbID, sc.ID, name)
	if err != nil || d == nil || d.Kind != catalog.KindType {
		return nil, err
	}
	return d, nil
}

func checkEnumLabel(label string) error {
	if len(label) == 0 || len(label) > 63 {
		return pgerror.New(pgerror.InvalidName, "invalid enum label %q", label).WithDetail("Labels must be 63 bytes or less.")
	}
	return nil
}

// createEnum is CREATE TYPE name AS ENUM ('label', ...).
func (s *Session) createEnum(ctx context.Context, cat *catalog.Catalog, ce *pg.CreateEnumStmt) (string, error) {
	names := stringList(ce.TypeName)
	sc, name, err := s.typeTarget(ctx, cat, names)
	if err != nil {
		return "", err
	}
	if existing, err := cat.Relation(ctx, s.dbID, sc.ID, name); err != nil {
		return "", err
	} else if existing != nil {
		return "", pgerror.New(pgerror.DuplicateObject, "type %q already exists", name)
	}
	e := &catalog.Enum{Schema: sc.Name}
	for i, v := range ce.Vals {
		label := v.GetString_().GetSval()
		if err := checkEnumLabel(label); err != nil {
			return "", err
		}
		if slices.Contains(e.Labels, label) {
			return "", pgerror.New(pgerror.UniqueViolation, "duplicate key value violates unique constraint \"pg_enum_typid_label_index\"").
				WithDetail("Key (enumtypid, enumlabel)=(%s) already exists.", label)
		}
		e.Labels = append(e.Labels, label)
		e.Sort = append(e.Sort, float64(i+1))
	}
	d := &catalog.Descriptor{Name: name, ParentID: s.dbID, SchemaID: sc.ID, Owner: s.user, Enum: e}
	if err := cat.CreateType(ctx, d); err != nil {
		return "", err
	}
	return "CREATE TYPE", nil
}

// alterEnum is ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'label'
// [BEFORE|AFTER 'label'] and RENAME VALUE 'old' TO 'new'. A new label
// takes a sort position between its neighbours, so stored values keep
// their order.
func (s *Session) alterEnum(ctx context.Context, cat *catalog.Catalog, ae *pg.AlterEnumStmt) (string, error) {
	names := stringList(ae.TypeName)
	d, err := s.lookupType(ctx, cat, names)
	if err != nil {
		return "", err
	}
	if d == nil || d.Enum == nil {
		return "", pgerror.New(pgerror.UndefinedObject, "type %q does not exist", strings.Join(names, "."))
	}
	e := d.Enum
	if ae.OldVal != "" {
		// Stored rows hold labels, so renaming one would rewrite them.
		return "", pgerror.Unimplemented("ALTER TYPE ... RENAME VALUE is not supported yet")
	}
	label := ae.NewVal
	if err := checkEnumLabel(label); err != nil {
		return "", err
	}
	if slices.Contains(e.Labels, label) {
		if ae.SkipIfNewValExists {
			_ = s.notice(noticef(pgerror.DuplicateObject, "enum label %q already exists, skipping", label))
			return "ALTER TYPE", nil
		}
		return "", pgerror.New(pgerror.DuplicateObject, "enum label %q already exists", label)
	}
	at := len(e.Labels) // insertion index
	if ae.NewValNeighbor != "" {
		i := slices.Index(e.Labels, ae.NewValNeighbor)
		if i < 0 {
			return "", pgerror.New(pgerror.InvalidParameterValue, "%q is not an existing enum label", ae.NewValNeighbor)
		}
		at = i
		if ae.NewValIsAfter {
			at = i + 1
		}
	}
	var pos float64
	switch {
	case len(e.Labels) == 0:
		pos = 1
	case at == len(e.Labels):
		pos = e.Sort[len(e.Sort)-1] + 1
	case at == 0:
		pos = e.Sort[0] - 1
	default:
		pos = (e.Sort[at-1] + e.Sort[at]) / 2
	}
	e.Labels = slices.Insert(e.Labels, at, label)
	e.Sort = slices.Insert(e.Sort, at, pos)
	if err := cat.UpdateTable(ctx, d); err != nil {
		return "", err
	}
	d.RegisterType()
	return "ALTER TYPE", nil
}

// dropTypes is DROP TYPE [IF EXISTS] name, ...: refused while a column
// uses the type.
func (s *Session) dropTypes(ctx context.Context, cat *catalog.Catalog, ds *pg.DropStmt) (string, error) {
	all, err := cat.List(ctx)
	if err != nil {
		return "", err
	}
	for _, obj := range ds.Objects {
		var names []string
		if tn := obj.GetTypeName(); tn != nil {
			names = stringList(tn.Names)
		} else {
			names = listStrings(obj)
		}
		d, err := s.lookupType(ctx, cat, names)
		if err != nil {
			return "", err
		}
		if d == nil {
			if ds.MissingOk {
				_ = s.notice(noticef(pgerror.UndefinedObject, "type %q does not exist, skipping", strings.Join(names, ".")))
				continue
			}
			return "", pgerror.New(pgerror.UndefinedObject, "type %q does not exist", strings.Join(names, "."))
		}
		var deps []string
		for _, t := range all {
			if t.Table == nil || t.ParentID != s.dbID {
				continue
			}
			for _, c := range t.Table.Columns {
				switch c.Type.Oid {
				case d.TypeOID():
					deps = append(deps, "column "+c.Name+" of table "+t.Name+" depends on type "+d.Name)
				case types.EnumArrayOid(d.TypeOID()):
					deps = append(deps, "column "+c.Name+" of table "+t.Name+" depends on type "+d.Name+"[]")
				}
			}
		}
		if len(deps) > 0 {
			if ds.Behavior == pg.DropBehavior_DROP_CASCADE {
				return "", pgerror.Unimplemented("DROP TYPE ... CASCADE is not supported yet")
			}
			// PostgreSQL reports the array type's dependents first.
			rank := func(dep string) int {
				if strings.HasSuffix(dep, "[]") {
					return 0
				}
				return 1
			}
			slices.SortStableFunc(deps, func(a, b string) int { return rank(a) - rank(b) })
			return "", pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop type %s because other objects depend on it", d.Name).
				WithDetail("%s", strings.Join(deps, "\n")).
				WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
		}
		if err := cat.Drop(ctx, d); err != nil {
			return "", err
		}
	}
	return "DROP TYPE", nil
}

// stringList returns the strings of a list of String nodes.
func stringList(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, n.GetString_().GetSval())
	}
	return out
}

// alterObjectOwner is ALTER TYPE/SCHEMA ... OWNER TO role (as pg_dump
// emits): the object and the role must exist; ownership is not modelled
// further yet.
func (s *Session) alterObjectOwner(ctx context.Context, cat *catalog.Catalog, ao *pg.AlterOwnerStmt) (string, error) {
	var tag string
	switch ao.ObjectType {
	case pg.ObjectType_OBJECT_TYPE:
		names := stringList(ao.Object.GetList().GetItems())
		d, err := s.lookupType(ctx, cat, names)
		if err != nil {
			return "", err
		}
		if d == nil {
			return "", pgerror.New(pgerror.UndefinedObject, "type %q does not exist", strings.Join(names, "."))
		}
		tag = "ALTER TYPE"
	case pg.ObjectType_OBJECT_SCHEMA:
		if _, err := s.schemaFor(ctx, cat, ao.Object.GetString_().GetSval()); err != nil {
			return "", err
		}
		tag = "ALTER SCHEMA"
	default:
		return "", pgerror.Unimplemented("ALTER %s ... OWNER TO is not supported yet", strings.TrimPrefix(ao.ObjectType.String(), "OBJECT_"))
	}
	if role := ao.Newowner; role != nil && role.Roletype == pg.RoleSpecType_ROLESPEC_CSTRING &&
		role.Rolename != s.user && role.Rolename != "pg_database_owner" {
		ok, err := cat.RoleExists(ctx, role.Rolename)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", pgerror.New(pgerror.UndefinedObject, "role %q does not exist", role.Rolename)
		}
	}
	return tag, nil
}
