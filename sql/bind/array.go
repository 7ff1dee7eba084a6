package bind

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// bindArrayExpr binds ARRAY[...] (nested brackets build more
// dimensions). hint, when set, is the array type the constructor is cast
// to: its elements are coerced to hint's element type and an empty
// ARRAY[] takes it, as PostgreSQL's transformArrayExpr does.
func (b *Binder) bindArrayExpr(s *scope, ae *pg.A_ArrayExpr, hint types.T) (plan.Expr, error) {
	var elems []plan.Expr
	nested, flat := 0, 0
	for _, n := range ae.Elements {
		var e plan.Expr
		var err error
		if sub := n.GetAArrayExpr(); sub != nil {
			nested++
			e, err = b.bindArrayExpr(s, sub, hint)
		} else {
			flat++
			e, err = b.bindExpr(s, n)
		}
		if err != nil {
			return nil, err
		}
		elems = append(elems, e)
	}
	if nested > 0 && flat > 0 {
		return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "syntax error at or near \"[\""), ae.Location)
	}
	if len(elems) == 0 {
		if hint.Oid == 0 {
			return nil, b.errAt(pgerror.New(pgerror.IndeterminateDatatype, "cannot determine type of empty array").
				WithHint("Explicitly cast to the desired type, for example ARRAY[]::integer[]."), ae.Location)
		}
		return &plan.Const{Val: &types.DArray{}, T: hint}, nil
	}
	var et types.T
	if hint.Oid != 0 {
		et = hint.Elem()
		if nested > 0 {
			et = hint
		}
		for i, e := range elems {
			c, err := b.coerce(e, et, castExplicit, ae.Location)
			if err != nil {
				return nil, err
			}
			elems[i] = c
		}
	} else {
		args, t, err := b.commonArgs(elems, "ARRAY")
		if err != nil {
			return nil, err
		}
		elems, et = args, t
		if nested == 0 && et.IsArray() {
			// ARRAY[array, array] stacks them like nested brackets.
			nested = len(elems)
		}
		if nested > 0 && !et.IsArray() {
			return nil, b.errAt(pgerror.New(pgerror.DatatypeMismatch, "could not find array type for data type %s", et), ae.Location)
		}
		if _, ok := types.ArrayOf(et); !ok && !et.IsArray() {
			return nil, b.errAt(pgerror.New(pgerror.UndefinedObject, "could not find array type for data type %s", et), ae.Location)
		}
	}
	return &plan.Call{Fn: funcs.ArrayConstructor(et, len(elems)), Args: elems}, nil
}

// bindIndirection binds subscripts after an expression: arr[i], arr[i][j],
// arr[lo:hi]. Field selection ((row).field) is not supported yet.
func (b *Binder) bindIndirection(s *scope, ind *pg.A_Indirection) (plan.Expr, error) {
	arg, err := b.bindExpr(s, ind.Arg)
	if err != nil {
		return nil, err
	}
	var subs []*pg.A_Indices
	for _, n := range ind.Indirection {
		if f := n.GetString_(); f != nil && len(subs) == 0 {
			if arg, err = b.selectField(arg, f.Sval, exprLocation(ind.Arg)); err != nil {
				return nil, err
			}
			continue
		}
		idx := n.GetAIndices()
		if idx == nil {
			return nil, pgerror.Unimplemented("field selection is not supported yet")
		}
		subs = append(subs, idx)
	}
	if len(subs) == 0 {
		return arg, nil
	}
	return b.subscript(s, arg, subs)
}

// subscript applies array subscripts to arg.
func (b *Binder) subscript(s *scope, arg plan.Expr, subs []*pg.A_Indices) (plan.Expr, error) {
	t := arg.Type()
	if t.Oid == types.OidUnknown {
		return nil, pgerror.New(pgerror.IndeterminateDatatype, "cannot subscript type unknown because it does not support subscripting")
	}
	if t.Oid == types.OidName && len(subs) == 1 && !subs[0].IsSlice {
		// name is a fixed-length array of "char" from 0: name[i] is its
		// i-th byte (pg_dump reads typname[0]).
		idx, err := b.bindExpr(s, subs[0].Uidx)
		if err != nil {
			return nil, err
		}
		if idx, err = b.coerce(idx, types.Int4, castAssignment, -1); err != nil {
			return nil, err
		}
		return &plan.Call{Fn: funcs.NameSubscript(), Args: []plan.Expr{arg, idx}}, nil
	}
	if !t.IsArray() {
		return nil, pgerror.New(pgerror.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", t)
	}
	if len(subs) > types.MaxArrayDims {
		return nil, pgerror.New(pgerror.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", len(subs), types.MaxArrayDims)
	}
	index := func(n *pg.Node) (plan.Expr, error) {
		e, err := b.bindExpr(s, n)
		if err != nil {
			return nil, err
		}
		if e.Type().Oid != types.OidUnknown && numericRank(e.Type()) == 0 {
			return nil, pgerror.New(pgerror.DatatypeMismatch, "array subscript must have type integer")
		}
		return b.coerce(e, types.Int4, castAssignment, -1)
	}
	slice := false
	for _, sb := range subs {
		slice = slice || sb.IsSlice
	}
	args := []plan.Expr{arg}
	if !slice {
		for _, sb := range subs {
			e, err := index(sb.Uidx)
			if err != nil {
				return nil, err
			}
			args = append(args, e)
		}
		return &plan.Call{Fn: funcs.Subscript(t, len(subs)), Args: args}, nil
	}
	hasLo := make([]bool, len(subs))
	hasHi := make([]bool, len(subs))
	for i, sb := range subs {
		lo, hi := sb.Lidx, sb.Uidx
		if !sb.IsSlice {
			// A plain subscript among slices means 1:n.
			lo, hi = nil, sb.Uidx
			hasLo[i] = true
			args = append(args, &plan.Const{Val: int64(1), T: types.Int4})
		} else {
			if lo != nil {
				e, err := index(lo)
				if err != nil {
					return nil, err
				}
				hasLo[i] = true
				args = append(args, e)
			} else {
				args = append(args, &plan.Const{T: types.Int4})
			}
		}
		if hi != nil {
			e, err := index(hi)
			if err != nil {
				return nil, err
			}
			hasHi[i] = true
			args = append(args, e)
		} else {
			args = append(args, &plan.Const{T: types.Int4})
		}
	}
	return &plan.Call{Fn: funcs.Slice(t, hasLo, hasHi), Args: args}, nil
}

// bindArrayCompare binds `l op ANY (array)` / `l op ALL (array)`.
func (b *Binder) bindArrayCompare(s *scope, a *pg.A_Expr, op string, all bool) (plan.Expr, error) {
	l, err := b.bindExpr(s, a.Lexpr)
	if err != nil {
		return nil, err
	}
	r, err := b.bindExpr(s, a.Rexpr)
	if err != nil {
		return nil, err
	}
	rt := r.Type()
	if rt.Oid == types.OidUnknown {
		lt := l.Type()
		if lt.Oid == types.OidUnknown {
			lt = types.Text
		}
		at, ok := types.ArrayOf(lt.WithoutTypmod())
		if !ok {
			return nil, b.errAt(pgerror.New(pgerror.UndefinedObject, "could not find array type for data type %s", lt), a.Location)
		}
		if r, err = b.coerce(r, at, castImplicit, a.Location); err != nil {
			return nil, err
		}
		rt = at
	}
	if !rt.IsArray() {
		return nil, b.errAt(pgerror.New(pgerror.WrongObjectType, "op ANY/ALL (array) requires array on right side"), a.Location)
	}
	cmp, err := b.binaryOpCall(op, l, &plan.Const{T: rt.Elem().WithoutTypmod()}, a.Location)
	if err != nil {
		return nil, err
	}
	if cmp.Fn.Ret.Oid != types.OidBool {
		return nil, b.errAt(pgerror.New(pgerror.WrongObjectType, "op ANY/ALL (array) requires operator to yield boolean"), a.Location)
	}
	want := cmp.Fn.Args[1]
	if want.Oid != rt.Elem().Oid {
		at, ok := types.ArrayOf(want)
		if !ok {
			return nil, b.errAt(pgerror.New(pgerror.UndefinedObject, "could not find array type for data type %s", want), a.Location)
		}
		if r, err = b.coerce(r, at, castImplicit, a.Location); err != nil {
			return nil, err
		}
		rt = at
	}
	return &plan.Call{Fn: funcs.ArrayCompare(cmp.Fn, rt, all), Args: []plan.Expr{cmp.Args[0], r}}, nil
}

// selectField binds (row).field where the row's fields are known at bind
// time: a ROW(...) constructor or a whole-row reference.
func (b *Binder) selectField(arg plan.Expr, name string, loc int32) (plan.Expr, error) {
	c, ok := arg.(*plan.Call)
	if !ok || c.Fn.Ret.Oid != types.OidRecord || c.Fn.Fields == nil {
		if arg.Type().Oid != types.OidRecord {
			return nil, b.errAt(pgerror.New(pgerror.WrongObjectType, "column notation .%s applied to type %s, which is not a composite type", name, arg.Type()), loc)
		}
		names, _, ok := types.RecordLayout(arg.Type())
		if !ok {
			return nil, b.errAt(pgerror.New(pgerror.FeatureNotSupported, "record type has not been registered"), loc)
		}
		for i, n := range names {
			if n == name {
				return &plan.Call{Fn: funcs.FieldSelect(arg.Type(), i), Args: []plan.Expr{arg}}, nil
			}
		}
		return nil, pgerror.New(pgerror.UndefinedColumn, "could not identify column \"%s\" in record data type", name)
	}
	for i, n := range c.Fn.Fields {
		if n == name {
			return c.Args[i], nil
		}
	}
	if c.Fn.Name != "row" {
		return nil, b.errAt(pgerror.New(pgerror.UndefinedColumn, "column %s.%s does not exist", c.Fn.Name, name), loc)
	}
	return nil, pgerror.New(pgerror.UndefinedColumn, "could not identify column \"%s\" in record data type", name)
}
