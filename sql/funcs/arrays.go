package funcs

import (
	"fmt"
	"strings"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// Arrays: the polymorphic array functions and operators (Args with
// types.AnyArray / types.AnyElement; the binder instantiates them for
// the concrete types through Poly), the array constructor, subscripts
// and op ANY/ALL (array).

// Instantiate returns o specialized for concrete argument and result
// types: a polymorphic overload gets its Poly implementation for them.
func (o *Overload) Instantiate(args []types.T, ret types.T) *Overload {
	inst := *o
	inst.Args, inst.Ret, inst.Generic = args, ret, o
	if o.Poly != nil {
		inst.Fn = o.Poly(args, ret)
	}
	if o.PolySRF != nil {
		inst.SRF = o.PolySRF(args, ret)
	}
	if o.PolyOutCols != nil {
		inst.OutCols = o.PolyOutCols(args)
		names, ts := make([]string, len(inst.OutCols)), make([]types.T, len(inst.OutCols))
		for i, c := range inst.OutCols {
			names[i], ts[i] = c.Name, c.T
		}
		inst.Ret = types.RecordType(names, ts)
	}
	return &inst
}

// IsPolymorphic reports whether o has polymorphic arguments.
func (o *Overload) IsPolymorphic() bool {
	for _, a := range o.Args {
		if a.IsPolymorphic() {
			return true
		}
	}
	return o.Ret.IsPolymorphic()
}

func errArraySubscript(format string, args ...any) error {
	return pgerror.New(pgerror.ArraySubscriptError, format, args...)
}

func errMultiDim(what string) error {
	return pgerror.New(pgerror.FeatureNotSupported, "%s", what)
}

// arrayOrEmpty returns d as an array, treating NULL as empty.
func arrayOrEmpty(d types.Datum) *types.DArray {
	if a, ok := d.(*types.DArray); ok {
		return a
	}
	return &types.DArray{}
}

// elemsEqual is element equality as the array functions see it (NULL
// matches nothing).
func elemsEqual(t types.T, a, b types.Datum) bool {
	return a != nil && b != nil && typio.Compare(t, a, b) == 0
}

// notDistinct is IS NOT DISTINCT FROM on elements.
func notDistinct(t types.T, a, b types.Datum) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return typio.Compare(t, a, b) == 0
}

// ArrayConstructor is ARRAY[...] over elements of type elem (which may
// be an array type: ARRAY[ARRAY[1,2], ARRAY[3,4]] builds a 2-D array, as
// do nested brackets).
func ArrayConstructor(elem types.T, n int) *Overload {
	arrT := elem
	if !elem.IsArray() {
		arrT, _ = types.ArrayOf(elem)
	}
	args := make([]types.T, n)
	for i := range args {
		args[i] = elem
	}
	nested := elem.IsArray()
	return &Overload{Name: "array", Args: args, Ret: arrT, NonStrict: true, Volatility: Immutable,
		Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			if !nested {
				return types.NewArray1(append([]types.Datum(nil), a...)), nil
			}
			return buildNested(a)
		}}
}

// buildNested stacks sub-arrays into an array of one more dimension.
func buildNested(subs []types.Datum) (types.Datum, error) {
	var dims []types.ArrayDim
	var elems []types.Datum
	first := true
	for _, d := range subs {
		if d == nil {
			return nil, pgerror.New(pgerror.ArraySubscriptError, "multidimensional arrays must have array expressions with matching dimensions")
		}
		a := d.(*types.DArray)
		if first {
			dims = a.Dims
			first = false
		} else if !sameDims(dims, a.Dims) {
			return nil, pgerror.New(pgerror.ArraySubscriptError, "multidimensional arrays must have array expressions with matching dimensions")
		}
		elems = append(elems, a.Elems...)
	}
	if len(subs) == 0 || len(dims) == 0 {
		return &types.DArray{}, nil
	}
	if len(dims)+1 > types.MaxArrayDims {
		return nil, pgerror.New(pgerror.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", len(dims)+1, types.MaxArrayDims)
	}
	out := &types.DArray{Dims: append([]types.ArrayDim{{Len: int32(len(subs)), Lower: 1}}, dims...), Elems: elems}
	return out, nil
}

func sameDims(a, b []types.ArrayDim) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Subscript is arr[i][j]... (n indexes) on an array of type arrT: the
// element, or NULL when out of range or when the number of subscripts
// differs from the array's dimensions.
func Subscript(arrT types.T, n int) *Overload {
	args := []types.T{arrT}
	for range n {
		args = append(args, types.Int4)
	}
	return &Overload{Name: "subscript", Args: args, Ret: arrT.Elem(), Volatility: Immutable,
		Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			arr := a[0].(*types.DArray)
			if len(arr.Dims) != n {
				return nil, nil
			}
			off := 0
			for i := range n {
				d := arr.Dims[i]
				idx := a[i+1].(int64)
				if idx < int64(d.Lower) || idx >= int64(d.Lower)+int64(d.Len) {
					return nil, nil
				}
				off = off*int(d.Len) + int(idx-int64(d.Lower))
			}
			return arr.Elems[off], nil
		}}
}

// Slice is arr[lo:hi]... (n ranges, each bound possibly omitted) on an
// array of type arrT. Args: the array, then per dimension the lower and
// upper bound (NULL constants stand for an omitted bound, hasLo/hasHi
// say which are given). The result is a slice with lower bounds 1.
func Slice(arrT types.T, hasLo, hasHi []bool) *Overload {
	n := len(hasLo)
	args := []types.T{arrT}
	for range n {
		args = append(args, types.Int4, types.Int4)
	}
	return &Overload{Name: "slice", Args: args, Ret: arrT, NonStrict: true, Volatility: Immutable,
		Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			for i := range n {
				if (hasLo[i] && a[1+2*i] == nil) || (hasHi[i] && a[2+2*i] == nil) {
					return nil, nil
				}
			}
			arr := a[0].(*types.DArray)
			if len(arr.Dims) == 0 || n > len(arr.Dims) {
				return &types.DArray{}, nil
			}
			// Bounds per dimension, clamped; dimensions beyond n are
			// taken whole.
			lo := make([]int64, len(arr.Dims))
			hi := make([]int64, len(arr.Dims))
			for i, d := range arr.Dims {
				lo[i], hi[i] = int64(d.Lower), int64(d.Lower)+int64(d.Len)-1
				if i < n {
					if hasLo[i] {
						lo[i] = max(lo[i], a[1+2*i].(int64))
					}
					if hasHi[i] {
						hi[i] = min(hi[i], a[2+2*i].(int64))
					}
				}
				if lo[i] > hi[i] {
					return &types.DArray{}, nil
				}
			}
			out := &types.DArray{}
			for i := range arr.Dims {
				out.Dims = append(out.Dims, types.ArrayDim{Len: int32(hi[i] - lo[i] + 1), Lower: 1})
			}
			idx := make([]int64, len(arr.Dims))
			copy(idx, lo)
			for {
				off := 0
				for i, d := range arr.Dims {
					off = off*int(d.Len) + int(idx[i]-int64(d.Lower))
				}
				out.Elems = append(out.Elems, arr.Elems[off])
				k := len(idx) - 1
				for k >= 0 {
					idx[k]++
					if idx[k] <= hi[k] {
						break
					}
					idx[k] = lo[k]
					k--
				}
				if k < 0 {
					break
				}
			}
			return out, nil
		}}
}

// ArrayCompare is `x op ANY (array)` (all=false) or `x op ALL (array)`
// for a boolean operator cmp on (x's type, element type): true, false or
// NULL with SQL's rules (ANY: true if some comparison is true, else NULL
// if some is NULL; ALL: false if some is false, else NULL if some is
// NULL). An empty array gives false for ANY and true for ALL.
func ArrayCompare(cmp *Overload, arrT types.T, all bool) *Overload {
	name := "any"
	if all {
		name = "all"
	}
	return &Overload{Name: cmp.Name + " " + name, Args: []types.T{cmp.Args[0], arrT}, Ret: types.Bool, NonStrict: true, Volatility: cmp.Volatility,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			if a[1] == nil {
				return nil, nil
			}
			arr := a[1].(*types.DArray)
			if len(arr.Elems) == 0 {
				return all, nil
			}
			if a[0] == nil {
				return nil, nil
			}
			sawNull := false
			args := []types.Datum{a[0], nil}
			for _, e := range arr.Elems {
				var r types.Datum
				if e != nil || cmp.NonStrict {
					args[1] = e
					var err error
					if r, err = cmp.Fn(env, args); err != nil {
						return nil, err
					}
				}
				switch r {
				case nil:
					sawNull = true
				case !all:
					return !all, nil
				}
			}
			if sawNull {
				return nil, nil
			}
			return all, nil
		}}
}

func registerArrayFunctions(r *Registry) {
	aa := []types.T{types.AnyArray, types.AnyArray}
	// Comparisons (btree order of typio.CompareArrays).
	for _, op := range comparisonOps {
		test := cmpTest(op)
		r.addOp(&Overload{Op: op, Args: aa, Ret: types.Bool, Poly: func(args []types.T, _ types.T) Fn {
			t := args[0]
			return func(_ Env, a []types.Datum) (types.Datum, error) {
				return test(typio.CompareArrays(t, a[0].(*types.DArray), a[1].(*types.DArray))), nil
			}
		}})
	}
	contains := func(t types.T, outer, inner *types.DArray) bool {
		et := t.Elem()
		for _, x := range inner.Elems {
			found := false
			for _, y := range outer.Elems {
				if elemsEqual(et, x, y) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	r.addOp(&Overload{Op: "@>", Args: aa, Ret: types.Bool, Poly: func(args []types.T, _ types.T) Fn {
		return func(_ Env, a []types.Datum) (types.Datum, error) {
			return contains(args[0], a[0].(*types.DArray), a[1].(*types.DArray)), nil
		}
	}})
	r.addOp(&Overload{Op: "<@", Args: aa, Ret: types.Bool, Poly: func(args []types.T, _ types.T) Fn {
		return func(_ Env, a []types.Datum) (types.Datum, error) {
			return contains(args[0], a[1].(*types.DArray), a[0].(*types.DArray)), nil
		}
	}})
	r.addOp(&Overload{Op: "&&", Args: aa, Ret: types.Bool, Poly: func(args []types.T, _ types.T) Fn {
		et := args[0].Elem()
		return func(_ Env, a []types.Datum) (types.Datum, error) {
			for _, x := range a[0].(*types.DArray).Elems {
				for _, y := range a[1].(*types.DArray).Elems {
					if elemsEqual(et, x, y) {
						return true, nil
					}
				}
			}
			return false, nil
		}
	}})
	// Concatenation.
	cat := &Overload{Name: "array_cat", Args: aa, Ret: types.AnyArray, NonStrict: true, Poly: func([]types.T, types.T) Fn { return arrayCat }}
	r.addFn(cat)
	r.addOp(&Overload{Op: "||", Args: aa, Ret: types.AnyArray, NonStrict: true, Poly: cat.Poly})
	appendFn := func([]types.T, types.T) Fn {
		return func(_ Env, a []types.Datum) (types.Datum, error) { return arrayAppend(a[0], a[1]) }
	}
	prependFn := func([]types.T, types.T) Fn {
		return func(_ Env, a []types.Datum) (types.Datum, error) { return arrayPrepend(a[0], a[1]) }
	}
	ae := []types.T{types.AnyArray, types.AnyElement}
	ea := []types.T{types.AnyElement, types.AnyArray}
	r.addFn(&Overload{Name: "array_append", Args: ae, Ret: types.AnyArray, NonStrict: true, Poly: appendFn})
	r.addOp(&Overload{Op: "||", Args: ae, Ret: types.AnyArray, NonStrict: true, Poly: appendFn})
	r.addFn(&Overload{Name: "array_prepend", Args: ea, Ret: types.AnyArray, NonStrict: true, Poly: prependFn})
	r.addOp(&Overload{Op: "||", Args: ea, Ret: types.AnyArray, NonStrict: true, Poly: prependFn})

	// Dimensions.
	dimFn := func(name string, f func(d types.ArrayDim) int64) {
		r.addFn(&Overload{Name: name, Args: []types.T{types.AnyArray, types.Int4}, Ret: types.Int4, Poly: func([]types.T, types.T) Fn {
			return func(_ Env, a []types.Datum) (types.Datum, error) {
				arr, dim := a[0].(*types.DArray), a[1].(int64)
				if dim < 1 || dim > int64(len(arr.Dims)) {
					return nil, nil
				}
				return f(arr.Dims[dim-1]), nil
			}
		}})
	}
	dimFn("array_length", func(d types.ArrayDim) int64 { return int64(d.Len) })
	dimFn("array_lower", func(d types.ArrayDim) int64 { return int64(d.Lower) })
	dimFn("array_upper", func(d types.ArrayDim) int64 { return int64(d.Lower) + int64(d.Len) - 1 })
	r.addFn(&Overload{Name: "array_ndims", Args: []types.T{types.AnyArray}, Ret: types.Int4, Poly: func([]types.T, types.T) Fn {
		return func(_ Env, a []types.Datum) (types.Datum, error) {
			arr := a[0].(*types.DArray)
			if len(arr.Dims) == 0 {
				return nil, nil
			}
			return int64(len(arr.Dims)), nil
		}
	}})
	r.addFn(&Overload{Name: "array_dims", Args: []types.T{types.AnyArray}, Ret: types.Text, Poly: func([]types.T, types.T) Fn {
		return func(_ Env, a []types.Datum) (types.Datum, error) {
			arr := a[0].(*types.DArray)
			if len(arr.Dims) == 0 {
				return nil, nil
			}
			var b strings.Builder
			for _, d := range arr.Dims {
				fmt.Fprintf(&b, "[%d:%d]", d.Lower, int64(d.Lower)+int64(d.Len)-1)
			}
			return b.String(), nil
		}
	}})
	r.addFn(&Overload{Name: "cardinality", Args: []types.T{types.AnyArray}, Ret: types.Int4, Poly: func([]types.T, types.T) Fn {
		return func(_ Env, a []types.Datum) (types.Datum, error) {
			return int64(len(a[0].(*types.DArray).Elems)), nil
		}
	}})

	// Searching and editing (one-dimensional arrays).
	oneDim := func(arr *types.DArray, what string) error {
		if len(arr.Dims) > 1 {
			return errMultiDim(what)
		}
		return nil
	}
	position := func(args []types.T, _ types.T) Fn {
		et := args[0].Elem()
		return func(_ Env, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			arr := a[0].(*types.DArray)
			if err := oneDim(arr, "searching for elements in multidimensional arrays is not supported"); err != nil {
				return nil, err
			}
			if len(arr.Dims) == 0 {
				return nil, nil
			}
			lb := int64(arr.Dims[0].Lower)
			start := 0
			if len(a) > 2 {
				if a[2] == nil {
					return nil, pgerror.New(pgerror.NullValueNotAllowed, "initial position must not be null")
				}
				start = int(max(a[2].(int64)-lb, 0))
			}
			for i := start; i < len(arr.Elems); i++ {
				if notDistinct(et, arr.Elems[i], a[1]) {
					return lb + int64(i), nil
				}
			}
			return nil, nil
		}
	}
	r.addFn(&Overload{Name: "array_position", Args: ae, Ret: types.Int4, NonStrict: true, Poly: position})
	r.addFn(&Overload{Name: "array_position", Args: []types.T{types.AnyArray, types.AnyElement, types.Int4}, Ret: types.Int4, NonStrict: true, Poly: position})
	int4Arr, _ := types.ArrayOf(types.Int4)
	r.addFn(&Overload{Name: "array_positions", Args: ae, Ret: int4Arr, NonStrict: true, Poly: func(args []types.T, _ types.T) Fn {
		et := args[0].Elem()
		return func(_ Env, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			arr := a[0].(*types.DArray)
			if err := oneDim(arr, "searching for elements in multidimensional arrays is not supported"); err != nil {
				return nil, err
			}
			var out []types.Datum
			for i, e := range arr.Elems {
				if notDistinct(et, e, a[1]) {
					out = append(out, int64(arr.Dims[0].Lower)+int64(i))
				}
			}
			return types.NewArray1(out), nil
		}
	}})
	r.addFn(&Overload{Name: "array_remove", Args: ae, Ret: types.AnyArray, NonStrict: true, Poly: func(args []types.T, _ types.T) Fn {
		et := args[0].Elem()
		return func(_ Env, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			arr := a[0].(*types.DArray)
			if err := oneDim(arr, "removing elements from multidimensional arrays is not supported"); err != nil {
				return nil, err
			}
			var out []types.Datum
			for _, e := range arr.Elems {
				if !notDistinct(et, e, a[1]) {
					out = append(out, e)
				}
			}
			if len(out) == len(arr.Elems) {
				return arr, nil
			}
			res := types.NewArray1(out)
			if len(out) > 0 {
				res.Dims[0].Lower = arr.Dims[0].Lower
			}
			return res, nil
		}
	}})
	r.addFn(&Overload{Name: "array_replace", Args: []types.T{types.AnyArray, types.AnyElement, types.AnyElement}, Ret: types.AnyArray, NonStrict: true,
		Poly: func(args []types.T, _ types.T) Fn {
			et := args[0].Elem()
			return func(_ Env, a []types.Datum) (types.Datum, error) {
				if a[0] == nil {
					return nil, nil
				}
				arr := a[0].(*types.DArray)
				out := &types.DArray{Dims: arr.Dims, Elems: make([]types.Datum, len(arr.Elems))}
				for i, e := range arr.Elems {
					out.Elems[i] = e
					if notDistinct(et, e, a[1]) {
						out.Elems[i] = a[2]
					}
				}
				return out, nil
			}
		}})
	r.addFn(&Overload{Name: "trim_array", Args: []types.T{types.AnyArray, types.Int4}, Ret: types.AnyArray, Poly: func([]types.T, types.T) Fn {
		return func(_ Env, a []types.Datum) (types.Datum, error) {
			arr, n := a[0].(*types.DArray), a[1].(int64)
			size := int64(0)
			if len(arr.Dims) > 0 {
				size = int64(arr.Dims[0].Len)
			}
			if n < 0 || n > size {
				return nil, errArraySubscript("number of elements to trim must be between 0 and %d", size)
			}
			if n == 0 {
				return arr, nil
			}
			inner := len(arr.Elems) / int(max(size, 1))
			keep := int(size - n)
			if keep == 0 {
				return &types.DArray{}, nil
			}
			dims := append([]types.ArrayDim(nil), arr.Dims...)
			dims[0].Len = int32(keep)
			return &types.DArray{Dims: dims, Elems: arr.Elems[:keep*inner]}, nil
		}
	}})

	// Text conversions.
	toString := func(args []types.T, _ types.T) Fn {
		et := args[0].Elem()
		return func(env Env, a []types.Datum) (types.Datum, error) {
			if a[0] == nil || a[1] == nil {
				return nil, nil
			}
			arr, sep := a[0].(*types.DArray), a[1].(string)
			var nullStr *string
			if len(a) > 2 && a[2] != nil {
				s := a[2].(string)
				nullStr = &s
			}
			var b []byte
			first := true
			for _, e := range arr.Elems {
				if e == nil && nullStr == nil {
					continue
				}
				if !first {
					b = append(b, sep...)
				}
				first = false
				if e == nil {
					b = append(b, *nullStr...)
					continue
				}
				b = typio.AppendText(b, et, e, env.Settings())
			}
			return string(b), nil
		}
	}
	r.addFn(&Overload{Name: "array_to_string", Args: []types.T{types.AnyArray, types.Text}, Ret: types.Text, Volatility: Stable, Poly: toString})
	r.addFn(&Overload{Name: "array_to_string", Args: []types.T{types.AnyArray, types.Text, types.Text}, Ret: types.Text, Volatility: Stable, NonStrict: true, Poly: toString})
	textArr, _ := types.ArrayOf(types.Text)
	split := func(_ Env, a []types.Datum) (types.Datum, error) {
		if a[0] == nil {
			return nil, nil
		}
		s := a[0].(string)
		var nullStr *string
		if len(a) > 2 && a[2] != nil {
			v := a[2].(string)
			nullStr = &v
		}
		if s == "" {
			return &types.DArray{}, nil
		}
		var parts []string
		switch {
		case a[1] == nil:
			for _, r := range s {
				parts = append(parts, string(r))
			}
		case a[1].(string) == "":
			parts = []string{s}
		default:
			parts = strings.Split(s, a[1].(string))
		}
		out := make([]types.Datum, len(parts))
		for i, p := range parts {
			if nullStr != nil && p == *nullStr {
				continue
			}
			out[i] = p
		}
		return types.NewArray1(out), nil
	}
	r.addFn(&Overload{Name: "string_to_array", Args: []types.T{types.Text, types.Text}, Ret: textArr, NonStrict: true, Fn: split})
	r.addFn(&Overload{Name: "string_to_array", Args: []types.T{types.Text, types.Text, types.Text}, Ret: textArr, NonStrict: true, Fn: split})
}

// arrayAppend is array_append: NULL arrays count as empty; only
// one-dimensional arrays grow.
func arrayAppend(arrD, elem types.Datum) (types.Datum, error) {
	arr := arrayOrEmpty(arrD)
	if len(arr.Dims) > 1 {
		return nil, pgerror.New(pgerror.DataException, "argument must be empty or one-dimensional array")
	}
	if len(arr.Dims) == 0 {
		return types.NewArray1([]types.Datum{elem}), nil
	}
	elems := append(append(make([]types.Datum, 0, len(arr.Elems)+1), arr.Elems...), elem)
	return &types.DArray{Dims: []types.ArrayDim{{Len: arr.Dims[0].Len + 1, Lower: arr.Dims[0].Lower}}, Elems: elems}, nil
}

// arrayPrepend is array_prepend (the lower bound stays).
func arrayPrepend(elem, arrD types.Datum) (types.Datum, error) {
	arr := arrayOrEmpty(arrD)
	if len(arr.Dims) > 1 {
		return nil, pgerror.New(pgerror.DataException, "argument must be empty or one-dimensional array")
	}
	if len(arr.Dims) == 0 {
		return types.NewArray1([]types.Datum{elem}), nil
	}
	elems := append([]types.Datum{elem}, arr.Elems...)
	return &types.DArray{Dims: []types.ArrayDim{{Len: arr.Dims[0].Len + 1, Lower: arr.Dims[0].Lower}}, Elems: elems}, nil
}

// arrayCat is array_cat (and anyarray || anyarray).
func arrayCat(_ Env, a []types.Datum) (types.Datum, error) {
	if a[0] == nil && a[1] == nil {
		return nil, nil
	}
	if a[0] == nil {
		return a[1], nil
	}
	if a[1] == nil {
		return a[0], nil
	}
	x, y := a[0].(*types.DArray), a[1].(*types.DArray)
	switch {
	case len(x.Dims) == 0:
		return y, nil
	case len(y.Dims) == 0:
		return x, nil
	}
	incompatible := func(detail string) error {
		return pgerror.New(pgerror.ArraySubscriptError, "cannot concatenate incompatible arrays").WithDetail("%s", detail)
	}
	elems := append(append(make([]types.Datum, 0, len(x.Elems)+len(y.Elems)), x.Elems...), y.Elems...)
	switch {
	case len(x.Dims) == len(y.Dims):
		for i := 1; i < len(x.Dims); i++ {
			if x.Dims[i].Len != y.Dims[i].Len || x.Dims[i].Lower != y.Dims[i].Lower {
				return nil, incompatible("Arrays with differing element dimensions are not compatible for concatenation.")
			}
		}
		dims := append([]types.ArrayDim(nil), x.Dims...)
		dims[0].Len += y.Dims[0].Len
		return &types.DArray{Dims: dims, Elems: elems}, nil
	case len(x.Dims) == len(y.Dims)+1:
		// Append y as a new last slice of x.
		for i := range y.Dims {
			if x.Dims[i+1].Len != y.Dims[i].Len {
				return nil, incompatible("Arrays with differing element dimensions are not compatible for concatenation.")
			}
		}
		dims := append([]types.ArrayDim(nil), x.Dims...)
		dims[0].Len++
		return &types.DArray{Dims: dims, Elems: elems}, nil
	case len(x.Dims)+1 == len(y.Dims):
		for i := range x.Dims {
			if y.Dims[i+1].Len != x.Dims[i].Len {
				return nil, incompatible("Arrays with differing element dimensions are not compatible for concatenation.")
			}
		}
		dims := append([]types.ArrayDim(nil), y.Dims...)
		dims[0].Len++
		return &types.DArray{Dims: dims, Elems: elems}, nil
	}
	return nil, incompatible(fmt.Sprintf("Arrays of %d and %d dimensions are not compatible for concatenation.", len(x.Dims), len(y.Dims)))
}

// NameSubscript is name[i]: the i-th byte (from 0) of a name as "char",
// NULL outside the 64-byte name.
func NameSubscript() *Overload {
	char := types.T{Oid: types.OidChar, Typmod: -1}
	return &Overload{Name: "name_subscript", Args: []types.T{types.Name, types.Int4}, Ret: char, Volatility: Immutable,
		Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			s, i := a[0].(string), a[1].(int64)
			if i < 0 || i >= 64 {
				return nil, nil
			}
			if i >= int64(len(s)) {
				return "", nil
			}
			return s[i : i+1], nil
		}}
}
