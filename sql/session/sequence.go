package session

import (
	"context"
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
