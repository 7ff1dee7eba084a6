package expr

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/sql/arith"
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/types"
)

// fastPath returns a typed kernel for the hot integer and float
// operators, or nil to use the generic per-value path.
func fastPath(fn *funcs.Overload, argT []types.T, args []Evaluator) Evaluator {
	if len(args) != 2 || fn.Op == "" || argT[0].Oid != argT[1].Oid {
		return nil
	}
	t := argT[0]
	switch t.Family() {
	case types.IntFamily:
		if t.Oid == types.OidOid {
			return nil
		}
		if funcs.IsComparison(fn.Op) {
			return &intCmp{l: args[0], r: args[1], test: cmpFn(fn.Op)}
		}
		var f func(types.T, int64, int64) (int64, error)
		switch fn.Op {
		case "+":
			f = arith.IntAdd
		case "-":
			f = arith.IntSub
		case "*":
			f = arith.IntMul
		case "/":
			f = arith.IntDiv
		case "%":
			f = arith.IntMod
		default:
			return nil
		}
		return &intArith{l: args[0], r: args[1], t: t, f: f}
	case types.FloatFamily:
		if funcs.IsComparison(fn.Op) {
			return &floatCmp{l: args[0], r: args[1], test: cmpFn(fn.Op)}
		}
	}
	return nil
}

func cmpFn(op string) func(c int) bool {
	switch op {
	case "=":
		return func(c int) bool { return c == 0 }
	case "<>":
		return func(c int) bool { return c != 0 }
	case "<":
		return func(c int) bool { return c < 0 }
	case "<=":
		return func(c int) bool { return c <= 0 }
	case ">":
		return func(c int) bool { return c > 0 }
	}
	return func(c int) bool { return c >= 0 }
}

// ints returns a reader of integer values of any width.
func ints(a arrow.Array) func(i int) int64 {
	switch x := a.(type) {
	case *array.Int64:
		v := x.Int64Values()
		return func(i int) int64 { return v[i] }
	case *array.Int32:
		v := x.Int32Values()
		return func(i int) int64 { return int64(v[i]) }
	case *array.Int16:
		v := x.Int16Values()
		return func(i int) int64 { return int64(v[i]) }
	}
	return func(int) int64 { return 0 }
}

func floats(a arrow.Array) func(i int) float64 {
	switch x := a.(type) {
	case *array.Float64:
		v := x.Float64Values()
		return func(i int) float64 { return v[i] }
	case *array.Float32:
		v := x.Float32Values()
		return func(i int) float64 { return float64(v[i]) }
	}
	return func(int) float64 { return 0 }
}

func evalPair(b vec.Batch, l, r Evaluator) (arrow.Array, arrow.Array, error) {
	la, err := l.Eval(b)
	if err != nil {
		return nil, nil, err
	}
	ra, err := r.Eval(b)
	if err != nil {
		la.Release()
		return nil, nil, err
	}
	return la, ra, nil
}

type intCmp struct {
	l, r Evaluator
	test func(int) bool
}

func (e *intCmp) Eval(b vec.Batch) (arrow.Array, error) {
	la, ra, err := evalPair(b, e.l, e.r)
	if err != nil {
		return nil, err
	}
	defer la.Release()
	defer ra.Release()
	lv, rv := ints(la), ints(ra)
	n := la.Len()
	bld := array.NewBooleanBuilder(vec.Alloc)
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		if la.IsNull(i) || ra.IsNull(i) {
			bld.AppendNull()
			continue
		}
		x, y := lv(i), rv(i)
		c := 0
		if x < y {
			c = -1
		} else if x > y {
			c = 1
		}
		bld.UnsafeAppend(e.test(c))
	}
	return bld.NewArray(), nil
}

type floatCmp struct {
	l, r Evaluator
	test func(int) bool
}

func (e *floatCmp) Eval(b vec.Batch) (arrow.Array, error) {
	la, ra, err := evalPair(b, e.l, e.r)
	if err != nil {
		return nil, err
	}
	defer la.Release()
	defer ra.Release()
	lv, rv := floats(la), floats(ra)
	n := la.Len()
	bld := array.NewBooleanBuilder(vec.Alloc)
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		if la.IsNull(i) || ra.IsNull(i) {
			bld.AppendNull()
			continue
		}
		bld.UnsafeAppend(e.test(floatCompare(lv(i), rv(i))))
	}
	return bld.NewArray(), nil
}

// floatCompare orders floats as PostgreSQL: NaN equals NaN and sorts
// above every other value.
func floatCompare(a, b float64) int {
	an, bn := a != a, b != b
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

type intArith struct {
	l, r Evaluator
	t    types.T
	f    func(types.T, int64, int64) (int64, error)
}

func (e *intArith) Eval(b vec.Batch) (arrow.Array, error) {
	la, ra, err := evalPair(b, e.l, e.r)
	if err != nil {
		return nil, err
	}
	defer la.Release()
	defer ra.Release()
	lv, rv := ints(la), ints(ra)
	n := la.Len()
	bld := vec.NewBuilder(e.t)
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		if la.IsNull(i) || ra.IsNull(i) {
			bld.AppendNull()
			continue
		}
		v, err := e.f(e.t, lv(i), rv(i))
		if err != nil {
			return nil, err
		}
		switch bb := bld.(type) {
		case *array.Int64Builder:
			bb.UnsafeAppend(v)
		case *array.Int32Builder:
			bb.UnsafeAppend(int32(v))
		case *array.Int16Builder:
			bb.UnsafeAppend(int16(v))
		}
	}
	return bld.NewArray(), nil
}
