package bind

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// winState collects the window calls of a SELECT while its targets bind.
type winState struct {
	calls []plan.WindowCall
	defs  map[string]*pg.WindowDef // WINDOW w AS (...)
}

// PostgreSQL frame option bits (parsenodes.h).
const (
	frameNonDefault              = 0x00001
	frameRows                    = 0x00004
	frameStartUnboundedPreceding = 0x00020
	frameEndUnboundedFollowing   = 0x00100
	frameEndCurrentRow           = 0x00400
)

var rankingFuncs = map[string]bool{"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true, "ntile": true}
var valueFuncs = map[string]bool{"lag": true, "lead": true, "first_value": true, "last_value": true}

func (b *Binder) bindWindowCall(s *scope, name string, f *pg.FuncCall) (plan.Expr, error) {
	if s == nil || s.win == nil {
		return nil, b.errAt(pgerror.New(pgerror.WindowingError, "window functions are not allowed here"), f.Location)
	}
	def := f.Over
	if def.Name != "" || def.Refname != "" {
		ref := def.Name
		if ref == "" {
			ref = def.Refname
		}
		named, ok := s.win.defs[ref]
		if !ok {
			return nil, b.errAt(pgerror.New(pgerror.UndefinedObject, "window %q does not exist", ref), f.Location)
		}
		merged := &pg.WindowDef{PartitionClause: named.PartitionClause, OrderClause: named.OrderClause, FrameOptions: named.FrameOptions}
		if len(def.OrderClause) > 0 {
			merged.OrderClause = def.OrderClause
		}
		if def.FrameOptions&frameNonDefault != 0 {
			merged.FrameOptions = def.FrameOptions
		}
		def = merged
	}
	call := plan.WindowCall{Name: name}
	switch opts := def.FrameOptions; {
	case opts&frameNonDefault == 0:
	case opts&frameStartUnboundedPreceding != 0 && opts&frameEndUnboundedFollowing != 0:
		call.WholePartition = true
	case opts&frameStartUnboundedPreceding != 0 && opts&frameEndCurrentRow != 0:
		call.Rows = opts&frameRows != 0
	default:
		return nil, b.errAt(pgerror.Unimplemented("this window frame is not supported yet"), f.Location)
	}
	saved := s.win
	s.win = nil // window calls do not nest
	defer func() { s.win = saved }()
	for _, a := range f.Args {
		e, err := b.bindExpr(s, a)
		if err != nil {
			return nil, err
		}
		call.Args = append(call.Args, e)
	}
	for _, p := range def.PartitionClause {
		e, err := b.bindExpr(s, p)
		if err != nil {
			return nil, err
		}
		call.Partition = append(call.Partition, e)
	}
	for _, o := range def.OrderClause {
		sb := o.GetSortBy()
		e, err := b.bindExpr(s, sb.Node)
		if err != nil {
			return nil, err
		}
		desc := sb.SortbyDir == pg.SortByDir_SORTBY_DESC
		nf := desc
		switch sb.SortbyNulls {
		case pg.SortByNulls_SORTBY_NULLS_FIRST:
			nf = true
		case pg.SortByNulls_SORTBY_NULLS_LAST:
			nf = false
		}
		call.Order, call.Desc, call.NullsFirst = append(call.Order, e), append(call.Desc, desc), append(call.NullsFirst, nf)
	}
	if len(call.Order) == 0 {
		call.WholePartition = true
	}
	switch {
	case rankingFuncs[name]:
		if name != "ntile" && len(call.Args) != 0 || name == "ntile" && len(call.Args) != 1 {
			return nil, b.errAt(pgerror.New(pgerror.UndefinedFunction, "function %s with %d arguments does not exist", name, len(call.Args)), f.Location)
		}
		call.T = types.Int8
		switch name {
		case "percent_rank", "cume_dist":
			call.T = types.Float8
		case "ntile":
			var err error
			if call.Args[0], err = b.coerce(call.Args[0], types.Int4, castImplicit, f.Location); err != nil {
				return nil, err
			}
			call.T = types.Int4
		}
	case valueFuncs[name]:
		if len(call.Args) == 0 || len(call.Args) > 3 || (name == "first_value" || name == "last_value") && len(call.Args) != 1 {
			return nil, b.errAt(pgerror.New(pgerror.UndefinedFunction, "function %s with %d arguments does not exist", name, len(call.Args)), f.Location)
		}
		if call.Args[0].Type().Oid == types.OidUnknown {
			var err error
			if call.Args[0], err = b.coerce(call.Args[0], types.Text, castImplicit, f.Location); err != nil {
				return nil, err
			}
		}
		call.T = call.Args[0].Type()
		if len(call.Args) > 1 {
			var err error
			if call.Args[1], err = b.coerce(call.Args[1], types.Int4, castImplicit, f.Location); err != nil {
				return nil, err
			}
		}
		if len(call.Args) > 2 {
			var err error
			if call.Args[2], err = b.coerce(call.Args[2], call.T, castImplicit, f.Location); err != nil {
				return nil, err
			}
		}
	case b.reg.IsAggregate(name):
		if f.AggStar {
			call.Agg, call.T = b.reg.Aggregates("count")[0], types.Int8
			break
		}
		if len(call.Args) != 1 {
			return nil, b.errAt(pgerror.Unimplemented("window aggregate %s with %d arguments is not supported", name, len(call.Args)), f.Location)
		}
		if name == "count" {
			call.Agg, call.T = b.reg.Aggregates("count")[0], types.Int8
			break
		}
		agg, arg, err := b.resolveAggregate(name, call.Args[0], f.Location)
		if err != nil {
			return nil, err
		}
		call.Agg, call.Args, call.T = agg, []plan.Expr{arg}, agg.Ret
	default:
		return nil, b.errAt(pgerror.Unimplemented("window function %s is not supported yet", name), f.Location)
	}
	saved.calls = append(saved.calls, call)
	return &plan.WinRef{Idx: len(saved.calls) - 1, T: call.T}, nil
}
