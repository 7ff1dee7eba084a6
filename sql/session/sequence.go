package session

import (
	"context"
	"github.com/aegisdb/aegis/sql/rowenc"
	"github.com/aegisdb/aegis/sql/vtable"
	"slices"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/bind"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/seq"
	"github.com/aegisdb/aegis/sql/types"
)

// sequenceOptions reads CREATE SEQUENCE / identity options.
func sequenceOptions(opts []*pg.Node, typ types.T) (seq.Options, error) {
	o := seq.Options{TypeName: typ.TypName()}
	var setStart, setMin, setMax, setInc bool
	for _, n := range opts {
		de := n.GetDefElem()
		if de == nil {
			continue
		}
		num := func() (int64, error) {
			if de.Arg == nil {
				return 0, nil
			}
			v := constString(de.Arg)
			if c := de.Arg.GetInteger(); c != nil {
				return int64(c.Ival), nil
			}
			if f := de.Arg.GetFloat(); f != nil {
				v = f.Fval
			}
			i, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return 0, pgerror.New(pgerror.SyntaxError, "invalid value for %s: %q", de.Defname, v)
			}
			return i, nil
		}
		var err error
		switch de.Defname {
		case "start":
			o.Start, err = num()
			setStart = true
		case "increment":
			o.Increment, err = num()
			setInc = true
		case "minvalue":
			if de.Arg != nil {
				o.Min, err = num()
				setMin = true
			}
		case "maxvalue":
			if de.Arg != nil {
				o.Max, err = num()
				setMax = true
			}
		case "cycle":
			o.Cycle = de.Arg == nil || constString(de.Arg) == "on" || (de.Arg.GetBoolean() != nil && de.Arg.GetBoolean().Boolval)
		case "cache", "owned_by", "sequence_name", "restart":
		case "as":
			tn := de.Arg.GetTypeName()
			if tn == nil {
				break
			}
			t, err2 := bind.ResolveTypeName(tn)
			if err2 != nil {
				return o, err2
			}
			if t.Family() != types.IntFamily || t.Oid == types.OidOid {
				return o, pgerror.New(pgerror.InvalidParameterValue, "sequence type must be smallint, integer, or bigint")
			}
			typ = t
			o.TypeName = t.TypName()
		}
		if err != nil {
			return o, err
		}
	}
	lo, hi := typ.IntRange()
	err := seq.Defaults(&o, lo, hi, setStart, setMin, setMax, setInc)
	return o, err
}

// createSequence stores a sequence in schema sc.
func (s *Session) createSequence(ctx context.Context, cat *catalog.Catalog, scID uint32, name string, o seq.Options) (*catalog.Descriptor, error) {
	if d, err := cat.Relation(ctx, s.dbID, scID, name); err != nil {
		return nil, err
	} else if d != nil {
		return nil, pgerror.New(pgerror.DuplicateTable, "relation %q already exists", name)
	}
	d := &catalog.Descriptor{Name: name, ParentID: s.dbID, SchemaID: scID, Owner: s.user, Sequence: &o}
	return d, cat.CreateSequence(ctx, d)
}

func (s *Session) execCreateSequence(ctx context.Context, cat *catalog.Catalog, cs *pg.CreateSeqStmt) (string, error) {
	sc, err := s.schemaFor(ctx, cat, cs.Sequence.Schemaname)
	if err != nil {
		return "", err
	}
	if cs.IfNotExists {
		if d, err := cat.Relation(ctx, s.dbID, sc.ID, cs.Sequence.Relname); err != nil {
			return "", err
		} else if d != nil {
			_ = s.notice(noticef(pgerror.DuplicateTable, "relation %q already exists, skipping", cs.Sequence.Relname))
			return "CREATE SEQUENCE", nil
		}
	}
	o, err := sequenceOptions(cs.Options, types.Int8)
	if err != nil {
		return "", err
	}
	if _, err := s.createSequence(ctx, cat, sc.ID, cs.Sequence.Relname, o); err != nil {
		return "", err
	}
	return "CREATE SEQUENCE", nil
}

// addSerialSequences creates the sequences of serial/identity columns
// and points the columns' defaults at them.
func (s *Session) addSerialSequences(ctx context.Context, cat *catalog.Catalog, desc *catalog.Descriptor, serials []bind.SerialColumn) error {
	for _, sc := range serials {
		col := &desc.Table.Columns[sc.Col]
		o, err := sequenceOptions(sc.Options, col.Type)
		if err != nil {
			return err
		}
		name := desc.Name + "_" + col.Name + "_seq"
		sd, err := s.createSequence(ctx, cat, desc.SchemaID, name, o)
		if err != nil {
			return err
		}
		col.Default = "nextval('" + s.qualifiedName(ctx, cat, desc.SchemaID, name) + "')"
		desc.Table.OwnedSequences = append(desc.Table.OwnedSequences, sd.ID)
	}
	return nil
}

func (s *Session) qualifiedName(ctx context.Context, cat *catalog.Catalog, schemaID uint32, name string) string {
	sc, err := cat.ByID(ctx, schemaID)
	if err != nil || sc == nil || sc.Name == "public" {
		return name
	}
	return sc.Name + "." + name
}

func (s *Session) schemaFor(ctx context.Context, cat *catalog.Catalog, name string) (*catalog.Descriptor, error) {
	if name == "" {
		name = "public"
	}
	sc, err := cat.Schema(ctx, s.dbID, name)
	if err != nil {
		return nil, err
	}
	if sc == nil {
		return nil, pgerror.New(pgerror.UndefinedSchema, "schema %q does not exist", name)
	}
	return sc, nil
}

// resolveSequence finds a sequence by the name a sequence function got.
func (s *Session) resolveSequence(name string) (*catalog.Descriptor, error) {
	ctx := context.Background()
	schema, rel := "", name
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		schema, rel = name[:i], name[i+1:]
	}
	unquote := func(x string) string {
		if len(x) >= 2 && x[0] == '"' && x[len(x)-1] == '"' {
			return strings.ReplaceAll(x[1:len(x)-1], `""`, `"`)
		}
		return strings.ToLower(x)
	}
	schema, rel = unquote(schema), unquote(rel)
	txn := s.txn
	if txn == nil {
		return nil, pgerror.AssertionFailed("sequence function outside a transaction")
	}
	cat := catalog.New(txn)
	sc, err := s.schemaFor(ctx, cat, schema)
	if err != nil {
		return nil, err
	}
	d, err := cat.Relation(ctx, s.dbID, sc.ID, rel)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", name)
	}
	if d.Kind != catalog.KindSequence {
		return nil, pgerror.New(pgerror.WrongObjectType, "%q is not a sequence", name)
	}
	return d, nil
}

// NextVal implements funcs.Env.
func (s *Session) NextVal(name string) (int64, error) {
	d, err := s.resolveSequence(name)
	if err != nil {
		return 0, err
	}
	v, err := s.eng.Seq.NextVal(context.Background(), d.ID, d.Name, *d.Sequence)
	if err != nil {
		return 0, err
	}
	if s.currval == nil {
		s.currval = map[uint32]int64{}
	}
	s.currval[d.ID] = v
	s.lastval, s.haveLastval = v, true
	return v, nil
}

// CurrVal implements funcs.Env.
func (s *Session) CurrVal(name string) (int64, error) {
	d, err := s.resolveSequence(name)
	if err != nil {
		return 0, err
	}
	v, ok := s.currval[d.ID]
	if !ok {
		return 0, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "currval of sequence %q is not yet defined in this session", d.Name)
	}
	return v, nil
}

// LastVal implements funcs.Env.
func (s *Session) LastVal() (int64, error) {
	if !s.haveLastval {
		return 0, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "lastval is not yet defined in this session")
	}
	return s.lastval, nil
}

// SetVal implements funcs.Env.
func (s *Session) SetVal(name string, v int64, called bool) (int64, error) {
	d, err := s.resolveSequence(name)
	if err != nil {
		return 0, err
	}
	if err := s.eng.Seq.SetVal(context.Background(), d.ID, d.Name, *d.Sequence, v, called); err != nil {
		return 0, err
	}
	if called {
		if s.currval == nil {
			s.currval = map[uint32]int64{}
		}
		s.currval[d.ID] = v
		s.lastval, s.haveLastval = v, true
	}
	return v, nil
}

// SequenceState implements funcs.Env.
func (s *Session) SequenceState(name string) (int64, bool, error) {
	d, err := s.resolveSequence(name)
	if err != nil {
		return 0, false, err
	}
	return s.eng.Seq.State(context.Background(), s.txn, d.ID, *d.Sequence)
}

// execAlterSequence is ALTER SEQUENCE: OWNED BY table.column / NONE (as
// pg_dump emits for serial columns) and RESTART [WITH n].
func (s *Session) execAlterSequence(ctx context.Context, cat *catalog.Catalog, as *pg.AlterSeqStmt, offset int) (string, error) {
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, offset)
	d, err := b.ResolveRelation(as.Sequence)
	if err != nil {
		if as.MissingOk && pgerror.CodeOf(err) == pgerror.UndefinedTable {
			_ = s.notice(noticef(pgerror.UndefinedTable, "relation %q does not exist, skipping", as.Sequence.Relname))
			return "ALTER SEQUENCE", nil
		}
		return "", err
	}
	if d.Kind != catalog.KindSequence {
		return "", pgerror.New(pgerror.WrongObjectType, "%q is not a sequence", d.Name)
	}
	for _, n := range as.Options {
		de := n.GetDefElem()
		if de == nil {
			continue
		}
		switch de.Defname {
		case "owned_by":
			names := listStrings(de.Arg)
			if err := s.setSequenceOwner(ctx, cat, b, d, names); err != nil {
				return "", err
			}
		case "restart":
			v := d.Sequence.Start
			if de.Arg != nil {
				if c := de.Arg.GetInteger(); c != nil {
					v = int64(c.Ival)
				} else if i, err := strconv.ParseInt(constString(de.Arg), 10, 64); err == nil {
					v = i
				}
			}
			if err := s.eng.Seq.SetVal(ctx, d.ID, d.Name, *d.Sequence, v, false); err != nil {
				return "", err
			}
		default:
			return "", pgerror.Unimplemented("ALTER SEQUENCE %s is not supported yet", strings.ToUpper(de.Defname))
		}
	}
	return "ALTER SEQUENCE", nil
}

// setSequenceOwner makes table.column (names, possibly schema-qualified)
// own sequence d, or no column own it for NONE.
func (s *Session) setSequenceOwner(ctx context.Context, cat *catalog.Catalog, b *bind.Binder, d *catalog.Descriptor, names []string) error {
	all, err := cat.List(ctx)
	if err != nil {
		return err
	}
	// Drop any previous owner.
	for _, t := range all {
		if t.Table == nil || !slices.Contains(t.Table.OwnedSequences, d.ID) {
			continue
		}
		t.Table.OwnedSequences = slices.DeleteFunc(t.Table.OwnedSequences, func(id uint32) bool { return id == d.ID })
		if err := cat.UpdateTable(ctx, t); err != nil {
			return err
		}
	}
	if len(names) == 1 && strings.EqualFold(names[0], "none") {
		return nil
	}
	if len(names) < 2 {
		return pgerror.New(pgerror.SyntaxError, "invalid OWNED BY option").WithHint("Specify OWNED BY table.column or OWNED BY NONE.")
	}
	rv := &pg.RangeVar{Relname: names[len(names)-2], Inh: true}
	if len(names) > 2 {
		rv.Schemaname = names[len(names)-3]
	}
	t, err := b.ResolveTable(rv)
	if err != nil {
		return err
	}
	if _, _, ok := t.Table.ColumnByName(names[len(names)-1]); !ok {
		return pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", names[len(names)-1], t.Name)
	}
	if t.SchemaID != d.SchemaID {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "sequence must be in same schema as table it is linked to")
	}
	t.Table.OwnedSequences = append(t.Table.OwnedSequences, d.ID)
	return cat.UpdateTable(ctx, t)
}

// spanSize sums the lengths of the keys and values under prefix.
func (s *Session) spanSize(ctx context.Context, prefix []byte) (int64, error) {
	it := s.txn.NewIterator(ctx, prefix, rowenc.PrefixEnd(prefix))
	defer it.Close()
	var n int64
	for it.Next() {
		n += int64(len(it.Key()) + len(it.Value()))
	}
	return n, it.Err()
}

// RelationSize implements funcs.Env.
func (s *Session) RelationSize(oid int64, what string) (int64, bool, error) {
	if s.txn == nil || oid < vtable.UserOIDBase {
		return 0, false, nil
	}
	ctx := context.Background()
	id := uint32((oid - vtable.UserOIDBase) & (1<<24 - 1))
	indexID := uint32((oid - vtable.UserOIDBase) >> 24)
	d, err := catalog.New(s.txn).ByID(ctx, id)
	if err != nil || d == nil || d.ParentID != s.dbID {
		return 0, false, err
	}
	if d.Table == nil {
		return 0, true, nil // views and sequences store no rows
	}
	if indexID > 0 {
		n, err := s.spanSize(ctx, rowenc.IndexPrefix(d.ID, indexID))
		return n, err == nil, err
	}
	var rows, idx int64
	if what != "indexes" {
		if rows, err = s.spanSize(ctx, rowenc.IndexPrefix(d.ID, 1)); err != nil {
			return 0, false, err
		}
	}
	if what == "indexes" || what == "total" {
		for _, ix := range d.Table.Indexes {
			n, err := s.spanSize(ctx, rowenc.IndexPrefix(d.ID, ix.ID))
			if err != nil {
				return 0, false, err
			}
			idx += n
		}
	}
	return rows + idx, true, nil
}

// DatabaseSize implements funcs.Env.
func (s *Session) DatabaseSize(name string) (int64, bool, error) {
	if s.txn == nil {
		return 0, false, nil
	}
	ctx := context.Background()
	cat := catalog.New(s.txn)
	db, err := cat.Database(ctx, name)
	if err != nil || db == nil {
		return 0, false, err
	}
	all, err := cat.List(ctx)
	if err != nil {
		return 0, false, err
	}
	var total int64
	for _, d := range all {
		if d.Table == nil || d.ParentID != db.ID {
			continue
		}
		start, end := rowenc.TableSpan(d.ID)
		it := s.txn.NewIterator(ctx, start, end)
		for it.Next() {
			total += int64(len(it.Key()) + len(it.Value()))
		}
		err := it.Err()
		it.Close()
		if err != nil {
			return 0, false, err
		}
	}
	return total, true, nil
}
