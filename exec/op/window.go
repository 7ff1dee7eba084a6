package op

import (
	"context"
	"github.com/aegisdb/aegis/sql/plan"
	"sort"

	"github.com/aegisdb/aegis/exec/expr"
	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// WindowCall is a compiled window function call.
type WindowCall struct {
	Name           string
	Args           []expr.Evaluator
	ArgT           []types.T
	Agg            *funcs.Aggregate
	Partition      []expr.Evaluator
	PartT          []types.T
	Order          []expr.Evaluator
	OrderT         []types.T
	Desc           []bool
	NullsFirst     []bool
	WholePartition bool
	Rows           bool
	// Frame, when set, is an explicit frame (offsets already computed).
	Frame *Frame
	T     types.T
}

// Frame is an explicit window frame with its offsets' values.
type Frame struct {
	plan.WindowFrame
	StartOff, EndOff types.Datum // int64, or the ORDER BY key's type for RANGE
	KeyT             types.T     // the ORDER BY key's type (RANGE offsets)
	OffT             types.T     // the offsets' type (interval for date/time keys)
}

// Window buffers its input and appends one column per window call.
// TODO(#2): spill; share sorts between calls with the same window.
type Window struct {
	Input Operator
	Calls []WindowCall
	T     []types.T
	out   [][]types.Datum
	keys  [][]types.Datum // the current call's ORDER BY values, per input row
	// Env is what date/time arithmetic of RANGE offsets reads (TimeZone).
	Env funcs.Env
	pos int
}

// Types implements Operator.
func (o *Window) Types() []types.T { return o.T }

// Close implements Operator.
func (o *Window) Close() error { o.out = nil; return o.Input.Close() }

// Next implements Operator.
func (o *Window) Next(context.Context) (vec.Batch, error) {
	if o.pos >= len(o.out) {
		return nil, nil
	}
	end := min(o.pos+vec.BatchSize, len(o.out))
	b, err := vec.Rows(o.T, o.out[o.pos:end])
	o.pos = end
	return b, err
}

// evalAll evaluates evaluators over every buffered row.
func evalAll(inT []types.T, rows [][]types.Datum, evs []expr.Evaluator, ts []types.T) ([][]types.Datum, error) {
	out := make([][]types.Datum, len(rows))
	for i := range out {
		out[i] = make([]types.Datum, len(evs))
	}
	for start := 0; start < len(rows); start += vec.BatchSize {
		end := min(start+vec.BatchSize, len(rows))
		b, err := vec.Rows(inT, rows[start:end])
		if err != nil {
			return nil, err
		}
		for j, ev := range evs {
			a, err := ev.Eval(b)
			if err != nil {
				b.Release()
				return nil, err
			}
			for i := start; i < end; i++ {
				out[i][j] = vec.Get(ts[j], a, i-start)
			}
			a.Release()
		}
		b.Release()
	}
	return out, nil
}

func cmpDatum(t types.T, a, b types.Datum, desc, nullsFirst bool) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		if nullsFirst {
			return -1
		}
		return 1
	case b == nil:
		if nullsFirst {
			return 1
		}
		return -1
	}
	c := typio.Compare(t, a, b)
	if desc {
		c = -c
	}
	return c
}

// Open implements Operator: it computes every window column.
func (o *Window) Open(ctx context.Context) error {
	o.out, o.pos = nil, 0
	if err := o.Input.Open(ctx); err != nil {
		return err
	}
	inT := o.Input.Types()
	var rows [][]types.Datum
	if err := drain(ctx, o.Input, func(r []types.Datum) { rows = append(rows, r) }); err != nil {
		return err
	}
	n := len(rows)
	results := make([][]types.Datum, len(o.Calls))
	var firstOrder []int
	for ci, c := range o.Calls {
		args, err := evalAll(inT, rows, c.Args, c.ArgT)
		if err != nil {
			return err
		}
		parts, err := evalAll(inT, rows, c.Partition, c.PartT)
		if err != nil {
			return err
		}
		keys, err := evalAll(inT, rows, c.Order, c.OrderT)
		if err != nil {
			return err
		}
		o.keys = keys
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		cmpPart := func(a, b int) int {
			for k, t := range c.PartT {
				if r := cmpDatum(t, parts[a][k], parts[b][k], false, false); r != 0 {
					return r
				}
			}
			return 0
		}
		cmpOrder := func(a, b int) int {
			for k, t := range c.OrderT {
				if r := cmpDatum(t, keys[a][k], keys[b][k], c.Desc[k], c.NullsFirst[k]); r != 0 {
					return r
				}
			}
			return 0
		}
		sort.SliceStable(idx, func(i, j int) bool {
			if r := cmpPart(idx[i], idx[j]); r != 0 {
				return r < 0
			}
			return cmpOrder(idx[i], idx[j]) < 0
		})
		if ci == 0 {
			firstOrder = idx
		}
		res := make([]types.Datum, n)
		for start := 0; start < n; {
			end := start + 1
			for end < n && cmpPart(idx[start], idx[end]) == 0 {
				end++
			}
			if err := o.computePartition(c, idx[start:end], args, cmpOrder, res); err != nil {
				return err
			}
			start = end
		}
		results[ci] = res
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	o.out = make([][]types.Datum, 0, n)
	for _, i := range firstOrder {
		row := append(append([]types.Datum(nil), rows[i]...), make([]types.Datum, len(o.Calls))...)
		for ci := range o.Calls {
			row[len(inT)+ci] = results[ci][i]
		}
		o.out = append(o.out, row)
	}
	return nil
}

// computePartition fills res for the rows of one partition (in order).
func (o *Window) computePartition(c WindowCall, part []int, args [][]types.Datum, cmpOrder func(a, b int) int, res []types.Datum) error {
	if c.Frame == nil && c.Name == "nth_value" {
		// The default frames, spelled out.
		c.Frame = &Frame{WindowFrame: plan.WindowFrame{Mode: plan.FrameRange, Start: plan.UnboundedPreceding, End: plan.CurrentRow}}
		if c.Rows {
			c.Frame.Mode = plan.FrameRows
		}
		if c.WholePartition {
			c.Frame.End = plan.UnboundedFollowing
		}
	}
	if c.Frame != nil {
		switch c.Name {
		case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead":
			// Frames do not apply to these.
		default:
			return o.computeFramed(c, part, args, cmpOrder, res)
		}
	}
	m := len(part)
	// peerEnd[i] is one past the last peer of position i.
	peerEnd := make([]int, m)
	for i := m - 1; i >= 0; i-- {
		if i == m-1 || cmpOrder(part[i], part[i+1]) != 0 {
			peerEnd[i] = i + 1
		} else {
			peerEnd[i] = peerEnd[i+1]
		}
	}
	frameEnd := func(i int) int {
		switch {
		case c.WholePartition:
			return m
		case c.Rows:
			return i + 1
		}
		return peerEnd[i]
	}
	switch c.Name {
	case "row_number":
		for i, r := range part {
			res[r] = int64(i + 1)
		}
		return nil
	case "rank", "dense_rank", "percent_rank", "cume_dist":
		rank, dense := 1, 1
		for i, r := range part {
			if i > 0 && cmpOrder(part[i-1], r) != 0 {
				rank = i + 1
				dense++
			}
			switch c.Name {
			case "rank":
				res[r] = int64(rank)
			case "dense_rank":
				res[r] = int64(dense)
			case "percent_rank":
				if m > 1 {
					res[r] = float64(rank-1) / float64(m-1)
				} else {
					res[r] = float64(0)
				}
			default:
				res[r] = float64(peerEnd[i]) / float64(m)
			}
		}
		return nil
	case "ntile":
		for i, r := range part {
			nb, _ := args[r][0].(int64)
			if args[r][0] == nil {
				res[r] = nil
				continue
			}
			if nb <= 0 {
				return pgerror.New(pgerror.InvalidArgumentForNtileFunction, "argument of ntile must be greater than zero")
			}
			per, extra := int64(m)/nb, int64(m)%nb
			// The first `extra` buckets hold per+1 rows.
			pos := int64(i)
			var bucket int64
			if pos < extra*(per+1) {
				bucket = pos/(per+1) + 1
			} else if per > 0 {
				bucket = extra + (pos-extra*(per+1))/per + 1
			} else {
				bucket = pos + 1
			}
			res[r] = bucket
		}
		return nil
	case "lag", "lead":
		for i, r := range part {
			off := int64(1)
			if len(args[r]) > 1 {
				if args[r][1] == nil {
					res[r] = nil
					continue
				}
				off = args[r][1].(int64)
			}
			j := int64(i) - off
			if c.Name == "lead" {
				j = int64(i) + off
			}
			if j >= 0 && j < int64(m) {
				res[r] = args[part[j]][0]
			} else if len(args[r]) > 2 {
				res[r] = args[r][2]
			} else {
				res[r] = nil
			}
		}
		return nil
	case "first_value":
		for _, r := range part {
			res[r] = args[part[0]][0]
		}
		return nil
	case "last_value":
		for i, r := range part {
			res[r] = args[part[frameEnd(i)-1]][0]
		}
		return nil
	}
	if c.Agg == nil {
		return pgerror.Unimplemented("window function %s is not supported yet", c.Name)
	}
	spec := AggSpec{Agg: c.Agg}
	if len(c.ArgT) > 0 {
		spec.ArgT = c.ArgT[0]
	}
	acc := newAccumulator(spec)
	added := 0
	for i := 0; i < m; {
		end := frameEnd(i)
		for ; added < end; added++ {
			var v types.Datum
			if len(c.Args) > 0 {
				v = args[part[added]][0]
				if v == nil && !spec.Agg.KeepNulls {
					continue
				}
			}
			if err := acc.add(v); err != nil {
				return err
			}
		}
		val, err := acc.result()
		if err != nil {
			return err
		}
		// Rows sharing this frame end (peers) share the value.
		next := i + 1
		if !c.Rows && !c.WholePartition {
			next = peerEnd[i]
		} else if c.WholePartition {
			next = m
		}
		for k := i; k < next; k++ {
			res[part[k]] = val
		}
		i = next
	}
	return nil
}

// computeFramed evaluates a frame-aware window function (an aggregate,
// first_value, last_value, nth_value) over an explicit frame, for each
// row of one partition.
func (o *Window) computeFramed(c WindowCall, part []int, args [][]types.Datum, cmpOrder func(a, b int) int, res []types.Datum) error {
	m := len(part)
	f := c.Frame
	// Peer groups: group[i] is the index of i's peer group, gStart/gEnd
	// the bounds of each group.
	group := make([]int, m)
	var gStart, gEnd []int
	for i := 0; i < m; i++ {
		if i == 0 || cmpOrder(part[i-1], part[i]) != 0 {
			gStart = append(gStart, i)
			if i > 0 {
				gEnd = append(gEnd, i)
			}
		}
		group[i] = len(gStart) - 1
	}
	if m > 0 {
		gEnd = append(gEnd, m)
	}
	off := func(d types.Datum) int64 {
		v, _ := d.(int64)
		return v
	}
	clamp := func(x int64) int {
		switch {
		case x < 0:
			return 0
		case x > int64(m):
			return m
		}
		return int(x)
	}
	groupAt := func(g int64, start bool) int {
		switch {
		case g < 0:
			return 0
		case g >= int64(len(gStart)):
			return m
		case start:
			return gStart[g]
		}
		return gEnd[g]
	}
	// RANGE offsets compare the ORDER BY key of row i with key +- offset.
	var keys []types.Datum
	keyT := f.KeyT
	if f.Mode == plan.FrameRange && (f.StartOff != nil || f.EndOff != nil) {
		keys = make([]types.Datum, m)
		for i := range keys {
			keys[i] = o.rangeKey(part[i])
			if d, ok := keys[i].(types.DDate); ok {
				// date +- interval is a timestamp: compare as timestamps.
				ts, err := typio.DateToTimestamp(d, false, nil)
				if err != nil {
					return err
				}
				keys[i] = ts
			}
		}
		if keyT.Oid == types.OidDate {
			keyT = types.Timestamp
		}
	}
	desc := len(c.Desc) > 0 && c.Desc[0]
	rangeBound := func(i int, d types.Datum, following, start bool) (int, error) {
		// The frame holds the rows whose key lies within key(i) -/+ d
		// (in the sort direction). NULL keys frame their NULL peers.
		if keys[i] == nil {
			if start {
				return gStart[group[i]], nil
			}
			return gEnd[group[i]], nil
		}
		limit, err := rangeShift(o.Env, keyT, f.OffT, keys[i], d, following != desc)
		if err != nil {
			return 0, err
		}
		before := func(j int) bool { // row j sorts before the bound
			if keys[j] == nil {
				return (c.NullsFirst[0])
			}
			cmp := typio.Compare(keyT, keys[j], limit)
			if desc {
				cmp = -cmp
			}
			if start {
				return cmp < 0
			}
			return cmp <= 0
		}
		return sort.Search(m, func(j int) bool { return !before(j) }), nil
	}
	spec := AggSpec{Agg: c.Agg}
	if len(c.ArgT) > 0 {
		spec.ArgT = c.ArgT[0]
	}
	for i := 0; i < m; i++ {
		var fs, fe int
		var err error
		switch f.Start {
		case plan.UnboundedPreceding:
			fs = 0
		case plan.CurrentRow:
			fs = i
			if f.Mode != plan.FrameRows {
				fs = gStart[group[i]]
			}
		case plan.OffsetPreceding, plan.OffsetFollowing:
			sign := int64(-1)
			if f.Start == plan.OffsetFollowing {
				sign = 1
			}
			switch f.Mode {
			case plan.FrameRows:
				fs = clamp(int64(i) + sign*off(f.StartOff))
			case plan.FrameGroups:
				fs = groupAt(int64(group[i])+sign*off(f.StartOff), true)
			default:
				if fs, err = rangeBound(i, f.StartOff, sign > 0, true); err != nil {
					return err
				}
			}
		}
		switch f.End {
		case plan.UnboundedFollowing:
			fe = m
		case plan.CurrentRow:
			fe = i + 1
			if f.Mode != plan.FrameRows {
				fe = gEnd[group[i]]
			}
		case plan.OffsetPreceding, plan.OffsetFollowing:
			sign := int64(-1)
			if f.End == plan.OffsetFollowing {
				sign = 1
			}
			switch f.Mode {
			case plan.FrameRows:
				fe = clamp(int64(i) + sign*off(f.EndOff) + 1)
			case plan.FrameGroups:
				fe = groupAt(int64(group[i])+sign*off(f.EndOff), false)
			default:
				if fe, err = rangeBound(i, f.EndOff, sign > 0, false); err != nil {
					return err
				}
			}
		}
		// The frame's rows, less the excluded ones.
		var rows []int
		for j := fs; j < fe; j++ {
			switch f.Exclude {
			case plan.ExcludeCurrentRow:
				if j == i {
					continue
				}
			case plan.ExcludeGroup:
				if group[j] == group[i] {
					continue
				}
			case plan.ExcludeTies:
				if group[j] == group[i] && j != i {
					continue
				}
			}
			rows = append(rows, j)
		}
		r := part[i]
		switch c.Name {
		case "first_value":
			res[r] = nil
			if len(rows) > 0 {
				res[r] = args[part[rows[0]]][0]
			}
			continue
		case "last_value":
			res[r] = nil
			if len(rows) > 0 {
				res[r] = args[part[rows[len(rows)-1]]][0]
			}
			continue
		case "nth_value":
			res[r] = nil
			if n, ok := args[r][1].(int64); ok {
				if n <= 0 {
					return pgerror.New(pgerror.InvalidArgumentForNthValueFunction, "argument of nth_value must be greater than zero")
				}
				if int(n) <= len(rows) {
					res[r] = args[part[rows[n-1]]][0]
				}
			}
			continue
		}
		if c.Agg == nil {
			return pgerror.Unimplemented("window function %s is not supported yet", c.Name)
		}
		acc := newAccumulator(spec)
		for _, j := range rows {
			var v types.Datum
			if len(c.Args) > 0 {
				v = args[part[j]][0]
				if v == nil && !spec.Agg.KeepNulls {
					continue
				}
			}
			if err := acc.add(v); err != nil {
				return err
			}
		}
		if res[r], err = acc.result(); err != nil {
			return err
		}
	}
	return nil
}

// rangeKey returns the single ORDER BY key of input row r (set by Open).
func (o *Window) rangeKey(r int) types.Datum { return o.keys[r][0] }

// rangeShift returns key + d (add) or key - d, for RANGE offsets (t is
// the key's type, offT the offset's).
func rangeShift(env funcs.Env, t, offT types.T, key, d types.Datum, add bool) (types.Datum, error) {
	op := "-"
	if add {
		op = "+"
	}
	if offT.Oid == 0 {
		offT = t
	}
	for _, ov := range funcs.Builtins().BinaryOps(op) {
		if len(ov.Args) == 2 && ov.Args[0] == t.WithoutTypmod() && ov.Args[1] == offT.WithoutTypmod() && ov.Fn != nil {
			return ov.Fn(env, []types.Datum{key, d})
		}
	}
	return nil, pgerror.Unimplemented("RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", t)
}
