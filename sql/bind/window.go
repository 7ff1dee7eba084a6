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
	frameRange                   = 0x00002
	frameRows                    = 0x00004
	frameGroups                  = 0x00008
	frameEndUnboundedPreceding   = 0x00040
	frameStartUnboundedFollowing = 0x00080
	frameStartCurrentRow         = 0x00200
	frameStartOffsetPreceding    = 0x00800
	frameEndOffsetPreceding      = 0x01000
	frameStartOffsetFollowing    = 0x02000
	frameEndOffsetFollowing      = 0x04000
	frameExcludeCurrentRow       = 0x08000
	frameExcludeGroup            = 0x10000
	frameExcludeTies             = 0x20000
	frameExcludeAny              = frameExcludeCurrentRow | frameExcludeGroup | frameExcludeTies
	frameStartUnboundedPreceding = 0x00020
	frameEndUnboundedFollowing   = 0x00100
	frameEndCurrentRow           = 0x00400
)

var rankingFuncs = map[string]bool{"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true, "ntile": true}
var valueFuncs = map[string]bool{"lag": true, "lead": true, "first_value": true, "last_value": true, "nth_value": true}

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
		merged := &pg.WindowDef{PartitionClause: named.PartitionClause, OrderClause: named.OrderClause, FrameOptions: named.FrameOptions,
			StartOffset: named.StartOffset, EndOffset: named.EndOffset, Location: def.Location}
		if len(def.OrderClause) > 0 {
			merged.OrderClause = def.OrderClause
		}
		if def.FrameOptions&frameNonDefault != 0 {
			merged.FrameOptions, merged.StartOffset, merged.EndOffset = def.FrameOptions, def.StartOffset, def.EndOffset
		}
		def = merged
	}
	call := plan.WindowCall{Name: name}
	switch opts := def.FrameOptions; {
	case opts&frameNonDefault == 0:
	case opts&frameStartUnboundedPreceding != 0 && opts&frameEndUnboundedFollowing != 0 && opts&frameExcludeAny == 0:
		call.WholePartition = true
	case opts&frameStartUnboundedPreceding != 0 && opts&frameEndCurrentRow != 0 && opts&(frameGroups|frameExcludeAny) == 0:
		call.Rows = opts&frameRows != 0
	default:
		fr, err := b.bindFrame(s, def)
		if err != nil {
			return nil, err
		}
		call.Frame = fr
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
		if len(call.Args) == 0 || len(call.Args) > 3 || (name == "first_value" || name == "last_value") && len(call.Args) != 1 ||
			name == "nth_value" && len(call.Args) != 2 {
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

// bindFrame binds an explicit frame clause. Offsets may not read the
// row (they are computed once); RANGE with an offset needs exactly one
// ORDER BY column of a numeric type.
func (b *Binder) bindFrame(s *scope, def *pg.WindowDef) (*plan.WindowFrame, error) {
	opts := def.FrameOptions
	fr := &plan.WindowFrame{}
	switch {
	case opts&frameRows != 0:
		fr.Mode = plan.FrameRows
	case opts&frameGroups != 0:
		fr.Mode = plan.FrameGroups
		if len(def.OrderClause) == 0 {
			return nil, b.errAt(pgerror.New(pgerror.WindowingError, "GROUPS mode requires an ORDER BY clause"), def.Location)
		}
	default:
		fr.Mode = plan.FrameRange
	}
	switch {
	case opts&frameStartUnboundedPreceding != 0:
		fr.Start = plan.UnboundedPreceding
	case opts&frameStartOffsetPreceding != 0:
		fr.Start = plan.OffsetPreceding
	case opts&frameStartCurrentRow != 0:
		fr.Start = plan.CurrentRow
	case opts&frameStartOffsetFollowing != 0:
		fr.Start = plan.OffsetFollowing
	case opts&frameStartUnboundedFollowing != 0:
		return nil, pgerror.New(pgerror.WindowingError, "frame start cannot be UNBOUNDED FOLLOWING")
	}
	switch {
	case opts&frameEndUnboundedFollowing != 0:
		fr.End = plan.UnboundedFollowing
	case opts&frameEndOffsetPreceding != 0:
		fr.End = plan.OffsetPreceding
	case opts&frameEndOffsetFollowing != 0:
		fr.End = plan.OffsetFollowing
	case opts&frameEndUnboundedPreceding != 0:
		return nil, pgerror.New(pgerror.WindowingError, "frame end cannot be UNBOUNDED PRECEDING")
	default:
		fr.End = plan.CurrentRow
	}
	if fr.Start == plan.CurrentRow && fr.End == plan.OffsetPreceding {
		return nil, pgerror.New(pgerror.WindowingError, "frame starting from current row cannot have preceding rows")
	}
	if fr.Start == plan.OffsetFollowing && (fr.End == plan.OffsetPreceding || fr.End == plan.CurrentRow) {
		return nil, pgerror.New(pgerror.WindowingError, "frame starting from following row cannot have preceding rows")
	}
	switch {
	case opts&frameExcludeCurrentRow != 0:
		fr.Exclude = plan.ExcludeCurrentRow
	case opts&frameExcludeGroup != 0:
		fr.Exclude = plan.ExcludeGroup
	case opts&frameExcludeTies != 0:
		fr.Exclude = plan.ExcludeTies
	}
	offsetType := types.Int8
	if fr.Mode == plan.FrameRange && (fr.Start == plan.OffsetPreceding || fr.Start == plan.OffsetFollowing ||
		fr.End == plan.OffsetPreceding || fr.End == plan.OffsetFollowing) {
		if len(def.OrderClause) != 1 {
			return nil, pgerror.New(pgerror.WindowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column")
		}
		key, err := b.bindExpr(s, def.OrderClause[0].GetSortBy().Node)
		if err != nil {
			return nil, err
		}
		switch kt := key.Type(); {
		case kt.IsNumericCategory():
			offsetType = kt.WithoutTypmod()
		case kt.Oid == types.OidDate || kt.Oid == types.OidTimestamp || kt.Oid == types.OidTimestampTZ:
			offsetType = types.Interval
		default:
			return nil, pgerror.New(pgerror.FeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", kt)
		}
	}
	bindOffset := func(n *pg.Node, what string) (plan.Expr, error) {
		if n == nil {
			return nil, nil
		}
		e, err := b.bindExpr(&scope{clause: what, parent: s.parent}, n)
		if err != nil {
			return nil, err
		}
		return b.coerce(e, offsetType, castImplicit, exprLocation(n))
	}
	var err error
	mode := map[plan.FrameMode]string{plan.FrameRows: "ROWS", plan.FrameRange: "RANGE", plan.FrameGroups: "GROUPS"}[fr.Mode]
	if fr.StartOffset, err = bindOffset(def.StartOffset, "argument of "+mode); err != nil {
		return nil, err
	}
	if fr.EndOffset, err = bindOffset(def.EndOffset, "argument of "+mode); err != nil {
		return nil, err
	}
	return fr, nil
}
