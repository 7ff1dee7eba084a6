package op

import (
	"context"
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
	T              types.T
}

// Window buffers its input and appends one column per window call.
// TODO(#2): spill; share sorts between calls with the same window.
type Window struct {
	Input Operator
	Calls []WindowCall
	T     []types.T
	out   [][]types.Datum
	pos   int
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
