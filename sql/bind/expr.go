package bind

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// aggState collects the aggregates of a SELECT while its targets bind.
type aggState struct {
	calls []plan.AggCall
	// inAgg is set while binding an aggregate's argument (nesting is an
	// error).
	inAgg bool
}

func (b *Binder) bindExpr(s *scope, n *pg.Node) (plan.Expr, error) {
	if n == nil {
		return &plan.Const{T: types.Unknown}, nil
	}
	switch x := n.Node.(type) {
	case *pg.Node_AConst:
		return b.bindConst(x.AConst)
	case *pg.Node_ColumnRef:
		return b.bindColumnRef(s, x.ColumnRef)
	case *pg.Node_ParamRef:
		idx := int(x.ParamRef.Number) - 1
		if idx < 0 || idx >= 65535 {
			return nil, b.errAt(pgerror.New(pgerror.UndefinedParameter, "there is no parameter $%d", idx+1), x.ParamRef.Location)
		}
		for len(b.params) <= idx {
			b.params = append(b.params, types.Unknown)
		}
		t := b.params[idx]
		if t.Oid == 0 {
			t = types.Unknown
		}
		return &plan.Param{Idx: idx, T: t}, nil
	case *pg.Node_TypeCast:
		t, err := b.ResolveType(x.TypeCast.TypeName)
		if err != nil {
			if pe, ok := err.(*pgerror.Error); ok {
				return nil, b.errAt(pe, x.TypeCast.TypeName.Location)
			}
			return nil, err
		}
		var arg plan.Expr
		if ae := x.TypeCast.Arg.GetAArrayExpr(); ae != nil && t.IsArray() {
			arg, err = b.bindArrayExpr(s, ae, t.WithoutTypmod())
		} else {
			arg, err = b.bindExpr(s, x.TypeCast.Arg)
		}
		if err != nil {
			return nil, err
		}
		loc := x.TypeCast.Location
		if c := x.TypeCast.Arg.GetAConst(); c != nil {
			loc = c.Location // input errors point at the literal
		}
		return b.coerce(arg, t, castExplicit, loc)
	case *pg.Node_AExpr:
		return b.bindAExpr(s, x.AExpr)
	case *pg.Node_BoolExpr:
		op := plan.And
		switch x.BoolExpr.Boolop {
		case pg.BoolExprType_OR_EXPR:
			op = plan.Or
		case pg.BoolExprType_NOT_EXPR:
			op = plan.Not
		}
		args := make([]plan.Expr, len(x.BoolExpr.Args))
		for i, a := range x.BoolExpr.Args {
			e, err := b.bindExpr(s, a)
			if err == nil {
				e, err = b.coerceBool(e, opName(op), x.BoolExpr.Location)
			}
			if err != nil {
				return nil, err
			}
			args[i] = e
		}
		return &plan.BoolOp{Op: op, Args: args}, nil
	case *pg.Node_NullTest:
		arg, err := b.bindExpr(s, x.NullTest.Arg)
		if err != nil {
			return nil, err
		}
		if arg.Type().Oid == types.OidUnknown {
			if arg, err = b.coerce(arg, types.Text, castImplicit, -1); err != nil {
				return nil, err
			}
		}
		return &plan.IsNull{Arg: arg, Negate: x.NullTest.Nulltesttype == pg.NullTestType_IS_NOT_NULL}, nil
	case *pg.Node_BooleanTest:
		return b.bindBooleanTest(s, x.BooleanTest)
	case *pg.Node_FuncCall:
		return b.bindFuncCall(s, x.FuncCall)
	case *pg.Node_SqlvalueFunction:
		return b.bindSQLValueFunction(x.SqlvalueFunction)
	case *pg.Node_CaseExpr:
		return b.bindCase(s, x.CaseExpr)
	case *pg.Node_CoalesceExpr:
		return b.bindCoalesce(s, x.CoalesceExpr.Args, x.CoalesceExpr.Location)
	case *pg.Node_MinMaxExpr:
		name := "greatest"
		if x.MinMaxExpr.Op == pg.MinMaxOp_IS_LEAST {
			name = "least"
		}
		args, t, err := b.bindCommon(s, x.MinMaxExpr.Args, strings.ToUpper(name), x.MinMaxExpr.Location)
		if err != nil {
			return nil, err
		}
		return b.minMax(name, args, t)
	case *pg.Node_SubLink:
		return b.bindSubLink(s, x.SubLink)
	case *pg.Node_RowExpr:
		return b.bindRow(s, x.RowExpr)
	case *pg.Node_AArrayExpr:
		return b.bindArrayExpr(s, x.AArrayExpr, types.T{})
	case *pg.Node_AIndirection:
		return b.bindIndirection(s, x.AIndirection)
	case *pg.Node_CollateClause:
		return b.bindExpr(s, x.CollateClause.Arg)
	}
	return nil, pgerror.Unimplemented("expression not supported: %T", n.Node)
}

func opName(op plan.BoolOpKind) string {
	switch op {
	case plan.And:
		return "AND"
	case plan.Or:
		return "OR"
	}
	return "NOT"
}

func (b *Binder) coerceBool(e plan.Expr, ctx string, loc int32) (plan.Expr, error) {
	switch e.Type().Oid {
	case types.OidBool:
		return e, nil
	case types.OidUnknown:
		return b.coerce(e, types.Bool, castImplicit, loc)
	}
	return nil, b.errAt(pgerror.New(pgerror.DatatypeMismatch, "argument of %s must be type boolean, not type %s", ctx, e.Type()), loc)
}

func (b *Binder) bindConst(c *pg.A_Const) (plan.Expr, error) {
	if c.Isnull {
		return &plan.Const{T: types.Unknown}, nil
	}
	switch v := c.Val.(type) {
	case *pg.A_Const_Ival:
		return &plan.Const{Val: int64(v.Ival.Ival), T: types.Int4}, nil
	case *pg.A_Const_Fval:
		s := v.Fval.Fval
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				// As PostgreSQL's make_const: an integer that fits int4
				// (only INT_MIN reaches here) is an int4.
				if i == int64(int32(i)) {
					return &plan.Const{Val: i, T: types.Int4}, nil
				}
				return &plan.Const{Val: i, T: types.Int8}, nil
			}
		}
		if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") || strings.HasPrefix(s, "0o") || strings.HasPrefix(s, "0b") {
			if i, err := strconv.ParseInt(s, 0, 64); err == nil {
				return &plan.Const{Val: i, T: types.Int8}, nil
			}
		}
		d, _, err := apd.NewFromString(strings.ReplaceAll(s, "_", ""))
		if err != nil {
			return nil, b.errAt(pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type numeric: %q", s), c.Location)
		}
		return &plan.Const{Val: d, T: types.Numeric}, nil
	case *pg.A_Const_Sval:
		return &plan.Const{Val: v.Sval.Sval, T: types.Unknown}, nil
	case *pg.A_Const_Boolval:
		return &plan.Const{Val: v.Boolval.Boolval, T: types.Bool}, nil
	case *pg.A_Const_Bsval:
		return nil, b.errAt(pgerror.Unimplemented("bit string constants are not supported yet"), c.Location)
	}
	return &plan.Const{T: types.Unknown}, nil
}

func (b *Binder) bindColumnRef(s *scope, cr *pg.ColumnRef) (plan.Expr, error) {
	var parts []string
	for _, f := range cr.Fields {
		switch v := f.Node.(type) {
		case *pg.Node_String_:
			parts = append(parts, v.String_.Sval)
		case *pg.Node_AStar:
			if len(parts) == 1 && s != nil {
				// t.* as a value (a function argument): the whole row.
				if row, ok := b.wholeRow(s, parts[0]); ok {
					return row, nil
				}
			}
			return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "row expansion via \"*\" is not supported here"), cr.Location)
		}
	}
	if s == nil {
		s = &scope{}
	}
	switch len(parts) {
	case 1:
		e, err := s.resolve(b, "", parts[0], cr.Location)
		if err != nil && pgerror.CodeOf(err) == pgerror.UndefinedColumn {
			if row, ok := b.wholeRow(s, parts[0]); ok {
				return row, nil
			}
		}
		return e, err
	case 2:
		return s.resolve(b, parts[0], parts[1], cr.Location)
	case 3:
		return s.resolve(b, parts[1], parts[2], cr.Location)
	}
	return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "improper qualified name (too many dotted names): %s", strings.Join(parts, ".")), cr.Location)
}

func (b *Binder) bindAExpr(s *scope, a *pg.A_Expr) (plan.Expr, error) {
	names := stringList(a.Name)
	op := ""
	if len(names) > 0 {
		op = names[len(names)-1]
	}
	switch a.Kind {
	case pg.A_Expr_Kind_AEXPR_OP:
		if a.Lexpr == nil {
			arg, err := b.bindExpr(s, a.Rexpr)
			if err != nil {
				return nil, err
			}
			return b.unaryOp(op, arg, a.Location)
		}
		l, err := b.bindExpr(s, a.Lexpr)
		if err != nil {
			return nil, err
		}
		r, err := b.bindExpr(s, a.Rexpr)
		if err != nil {
			return nil, err
		}
		return b.binaryOp(op, l, r, a.Location)
	case pg.A_Expr_Kind_AEXPR_OP_ANY, pg.A_Expr_Kind_AEXPR_OP_ALL:
		return b.bindArrayCompare(s, a, op, a.Kind == pg.A_Expr_Kind_AEXPR_OP_ALL)
	case pg.A_Expr_Kind_AEXPR_LIKE, pg.A_Expr_Kind_AEXPR_ILIKE:
		l, err := b.bindExpr(s, a.Lexpr)
		if err != nil {
			return nil, err
		}
		r, err := b.bindExpr(s, a.Rexpr)
		if err != nil {
			return nil, err
		}
		return b.binaryOp(op, l, r, a.Location)
	case pg.A_Expr_Kind_AEXPR_DISTINCT, pg.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		l, err := b.bindExpr(s, a.Lexpr)
		if err != nil {
			return nil, err
		}
		r, err := b.bindExpr(s, a.Rexpr)
		if err != nil {
			return nil, err
		}
		eq, err := b.binaryOpCall("=", l, r, a.Location)
		if err != nil {
			return nil, err
		}
		// a IS DISTINCT FROM b == CASE WHEN a IS NULL THEN b IS NOT NULL
		// WHEN b IS NULL THEN true ELSE NOT (a = b) END
		l, r = eq.Args[0], eq.Args[1]
		notDistinct := a.Kind == pg.A_Expr_Kind_AEXPR_NOT_DISTINCT
		bothNull := &plan.BoolOp{Op: plan.And, Args: []plan.Expr{&plan.IsNull{Arg: l}, &plan.IsNull{Arg: r}}}
		oneNull := &plan.BoolOp{Op: plan.Or, Args: []plan.Expr{&plan.IsNull{Arg: l}, &plan.IsNull{Arg: r}}}
		var res plan.Expr = &plan.Case{T: types.Bool, Whens: []plan.When{
			{Cond: bothNull, Result: &plan.Const{Val: true, T: types.Bool}},
			{Cond: oneNull, Result: &plan.Const{Val: false, T: types.Bool}},
		}, Else: eq}
		if !notDistinct {
			res = &plan.BoolOp{Op: plan.Not, Args: []plan.Expr{res}}
		}
		return res, nil
	case pg.A_Expr_Kind_AEXPR_NULLIF:
		l, err := b.bindExpr(s, a.Lexpr)
		if err != nil {
			return nil, err
		}
		r, err := b.bindExpr(s, a.Rexpr)
		if err != nil {
			return nil, err
		}
		eq, err := b.binaryOpCall("=", l, r, a.Location)
		if err != nil {
			return nil, err
		}
		lt := eq.Args[0]
		return &plan.Case{T: lt.Type(), Whens: []plan.When{{Cond: eq, Result: &plan.Const{T: lt.Type()}}}, Else: lt}, nil
	case pg.A_Expr_Kind_AEXPR_IN:
		l, err := b.bindExpr(s, a.Lexpr)
		if err != nil {
			return nil, err
		}
		list, ok := a.Rexpr.Node.(*pg.Node_List)
		if !ok {
			return nil, b.errAt(pgerror.Unimplemented("IN (subquery) is not supported yet"), a.Location)
		}
		var ors []plan.Expr
		cmp := "="
		if op == "<>" {
			cmp = "<>"
		}
		for _, item := range list.List.Items {
			r, err := b.bindExpr(s, item)
			if err != nil {
				return nil, err
			}
			e, err := b.binaryOp(cmp, l, r, a.Location)
			if err != nil {
				return nil, err
			}
			ors = append(ors, e)
		}
		if len(ors) == 1 {
			return ors[0], nil
		}
		if cmp == "<>" {
			return &plan.BoolOp{Op: plan.And, Args: ors}, nil
		}
		return &plan.BoolOp{Op: plan.Or, Args: ors}, nil
	case pg.A_Expr_Kind_AEXPR_BETWEEN, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN,
		pg.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		l, err := b.bindExpr(s, a.Lexpr)
		if err != nil {
			return nil, err
		}
		list, ok := a.Rexpr.Node.(*pg.Node_List)
		if !ok || len(list.List.Items) != 2 {
			return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "syntax error in BETWEEN"), a.Location)
		}
		lo, err := b.bindExpr(s, list.List.Items[0])
		if err != nil {
			return nil, err
		}
		hi, err := b.bindExpr(s, list.List.Items[1])
		if err != nil {
			return nil, err
		}
		ge, err := b.binaryOp(">=", l, lo, a.Location)
		if err != nil {
			return nil, err
		}
		le, err := b.binaryOp("<=", l, hi, a.Location)
		if err != nil {
			return nil, err
		}
		var res plan.Expr = &plan.BoolOp{Op: plan.And, Args: []plan.Expr{ge, le}}
		if a.Kind == pg.A_Expr_Kind_AEXPR_BETWEEN_SYM || a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM {
			ge2, err := b.binaryOp(">=", l, hi, a.Location)
			if err != nil {
				return nil, err
			}
			le2, err := b.binaryOp("<=", l, lo, a.Location)
			if err != nil {
				return nil, err
			}
			res = &plan.BoolOp{Op: plan.Or, Args: []plan.Expr{res, &plan.BoolOp{Op: plan.And, Args: []plan.Expr{ge2, le2}}}}
		}
		if a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN || a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM {
			res = &plan.BoolOp{Op: plan.Not, Args: []plan.Expr{res}}
		}
		return res, nil
	}
	return nil, b.errAt(pgerror.Unimplemented("operator form not supported yet: %s", a.Kind), a.Location)
}

func (b *Binder) bindBooleanTest(s *scope, t *pg.BooleanTest) (plan.Expr, error) {
	arg, err := b.bindExpr(s, t.Arg)
	if err != nil {
		return nil, err
	}
	if arg, err = b.coerceBool(arg, "IS TRUE", t.Location); err != nil {
		return nil, err
	}
	isNull := &plan.IsNull{Arg: arg}
	notNull := &plan.IsNull{Arg: arg, Negate: true}
	switch t.Booltesttype {
	case pg.BoolTestType_IS_TRUE:
		return &plan.BoolOp{Op: plan.And, Args: []plan.Expr{notNull, arg}}, nil
	case pg.BoolTestType_IS_NOT_TRUE:
		return &plan.BoolOp{Op: plan.Or, Args: []plan.Expr{isNull, &plan.BoolOp{Op: plan.Not, Args: []plan.Expr{arg}}}}, nil
	case pg.BoolTestType_IS_FALSE:
		return &plan.BoolOp{Op: plan.And, Args: []plan.Expr{notNull, &plan.BoolOp{Op: plan.Not, Args: []plan.Expr{arg}}}}, nil
	case pg.BoolTestType_IS_NOT_FALSE:
		return &plan.BoolOp{Op: plan.Or, Args: []plan.Expr{isNull, arg}}, nil
	case pg.BoolTestType_IS_UNKNOWN:
		return isNull, nil
	}
	return notNull, nil
}

func (b *Binder) bindSQLValueFunction(f *pg.SQLValueFunction) (plan.Expr, error) {
	name := ""
	switch f.Op {
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		name = "current_date"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		name = "now"
	case pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		name = "localtimestamp"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE, pg.SQLValueFunctionOp_SVFOP_CURRENT_USER, pg.SQLValueFunctionOp_SVFOP_USER:
		name = "current_user"
	case pg.SQLValueFunctionOp_SVFOP_SESSION_USER:
		name = "session_user"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		name = "current_database"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		name = "current_schema"
	default:
		return nil, b.errAt(pgerror.Unimplemented("time without time zone is not supported yet"), f.Location)
	}
	ov := b.reg.Functions(name)
	return &plan.Call{Fn: ov[0]}, nil
}

func (b *Binder) bindCase(s *scope, c *pg.CaseExpr) (plan.Expr, error) {
	var subject plan.Expr
	if c.Arg != nil {
		var err error
		if subject, err = b.bindExpr(s, c.Arg); err != nil {
			return nil, err
		}
	}
	var conds, results []plan.Expr
	for _, w := range c.Args {
		cw := w.GetCaseWhen()
		if cw == nil {
			continue
		}
		cond, err := b.bindExpr(s, cw.Expr)
		if err != nil {
			return nil, err
		}
		if subject != nil {
			cond, err = b.binaryOp("=", subject, cond, cw.Location)
		} else {
			cond, err = b.coerceBool(cond, "CASE/WHEN", cw.Location)
		}
		if err != nil {
			return nil, err
		}
		res, err := b.bindExpr(s, cw.Result)
		if err != nil {
			return nil, err
		}
		conds = append(conds, cond)
		results = append(results, res)
	}
	var elseExpr plan.Expr
	if c.Defresult != nil {
		e, err := b.bindExpr(s, c.Defresult)
		if err != nil {
			return nil, err
		}
		results = append(results, e)
		elseExpr = e
	}
	t, err := b.commonType(results, "CASE", c.Location)
	if err != nil {
		return nil, err
	}
	out := &plan.Case{T: t}
	for i := range conds {
		r, err := b.coerce(results[i], t, castImplicit, c.Location)
		if err != nil {
			return nil, err
		}
		out.Whens = append(out.Whens, plan.When{Cond: conds[i], Result: r})
	}
	if elseExpr != nil {
		if out.Else, err = b.coerce(elseExpr, t, castImplicit, c.Location); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// bindCommon binds args and coerces them to their common type.
func (b *Binder) bindCommon(s *scope, nodes []*pg.Node, ctx string, loc int32) ([]plan.Expr, types.T, error) {
	args := make([]plan.Expr, len(nodes))
	for i, n := range nodes {
		e, err := b.bindExpr(s, n)
		if err != nil {
			return nil, types.T{}, err
		}
		args[i] = e
	}
	t, err := b.commonType(args, ctx, loc)
	if err != nil {
		return nil, types.T{}, err
	}
	for i := range args {
		if args[i], err = b.coerce(args[i], t, castImplicit, loc); err != nil {
			return nil, types.T{}, err
		}
	}
	return args, t, nil
}

func (b *Binder) minMax(name string, args []plan.Expr, t types.T) (plan.Expr, error) {
	// GREATEST/LEAST ignore NULLs: fold pairwise with CASE.
	op := ">"
	if name == "least" {
		op = "<"
	}
	acc := args[0]
	for _, a := range args[1:] {
		cmp, err := b.binaryOp(op, a, acc, -1)
		if err != nil {
			return nil, err
		}
		acc = &plan.Case{T: t, Whens: []plan.When{
			{Cond: &plan.IsNull{Arg: acc}, Result: a},
			{Cond: cmp, Result: a},
		}, Else: acc}
	}
	return acc, nil
}

func (b *Binder) bindFuncCall(s *scope, f *pg.FuncCall) (plan.Expr, error) {
	names := stringList(f.Funcname)
	name := strings.ToLower(names[len(names)-1])
	if len(names) > 1 && names[0] != "pg_catalog" && !(names[0] == "information_schema" && strings.HasPrefix(name, "_pg_")) {
		// Built-in functions live in pg_catalog (and information_schema's
		// helpers, such as _pg_expandarray, in information_schema).
		return nil, b.errAt(pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", strings.Join(names, ".")), f.Location)
	}
	if f.Over != nil {
		return b.bindWindowCall(s, name, f)
	}
	if b.reg.IsAggregate(name) {
		return b.bindAggregate(s, name, f)
	}
	if f.AggStar || f.AggDistinct || len(f.AggOrder) > 0 || f.AggFilter != nil {
		return nil, b.errAt(pgerror.New(pgerror.WrongObjectType, "%s is not an aggregate function", name), f.Location)
	}
	if name == "coalesce" {
		return b.bindCoalesce(s, f.Args, f.Location)
	}
	args := make([]plan.Expr, len(f.Args))
	for i, a := range f.Args {
		e, err := b.bindExpr(s, a)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	if name == "pg_typeof" && len(args) == 1 {
		// pg_typeof returns regtype; its text form is the type's name.
		t := args[0].Type()
		if t.Oid == types.OidUnknown {
			return &plan.Const{Val: "unknown", T: types.Text}, nil
		}
		return &plan.Const{Val: t.WithoutTypmod().String(), T: types.Text}, nil
	}

	ov, args, err := b.resolveOverload(b.reg.Functions(name), args, f.Location)
	if err != nil {
		return nil, err
	}
	if ov == nil {
		return nil, b.errAt(pgerror.New(pgerror.UndefinedFunction, "function %s(%s) does not exist", name, argTypeList(args)).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts."), f.Location)
	}
	call := &plan.Call{Fn: ov, Args: args}
	if ov.IsSRF() {
		return b.srfInExpr(s, call, f.Location)
	}
	return call, nil
}

// srfInExpr places a set-returning call met in an expression: in a
// select list it is collected for the ProjectSet (and referenced by an
// SRFRef); elsewhere it is an error, as in PostgreSQL.
func (b *Binder) srfInExpr(s *scope, call *plan.Call, loc int32) (plan.Expr, error) {
	switch {
	case s != nil && s.agg != nil && s.agg.inAgg:
		return nil, b.errAt(pgerror.New(pgerror.FeatureNotSupported, "aggregate function calls cannot contain set-returning function calls").
			WithHint("You might be able to move the set-returning function into a LATERAL FROM item."), loc)
	case s != nil && s.srf != nil:
		for _, a := range call.Args {
			if hasSRFRef(a) {
				return nil, b.errAt(pgerror.Unimplemented("nested set-returning function calls are not supported yet"), loc)
			}
		}
		s.srf.calls = append(s.srf.calls, call)
		return &plan.SRFRef{Idx: len(s.srf.calls) - 1, T: call.Fn.Ret}, nil
	case s != nil && s.clause != "":
		return nil, b.errAt(pgerror.New(pgerror.FeatureNotSupported, "set-returning functions are not allowed in %s", s.clause), loc)
	}
	return nil, b.errAt(pgerror.New(pgerror.FeatureNotSupported, "set-returning functions are not allowed here"), loc)
}

// hasSRFRef reports whether e refers to a set-returning call.
func hasSRFRef(e plan.Expr) bool {
	found := false
	_, _ = plan.Rewrite(e, func(x plan.Expr) (plan.Expr, error) {
		if _, ok := x.(*plan.SRFRef); ok {
			found = true
		}
		return x, nil
	})
	return found
}

func argTypeList(args []plan.Expr) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.Type().String()
	}
	return strings.Join(parts, ", ")
}

func (b *Binder) bindAggregate(s *scope, name string, f *pg.FuncCall) (plan.Expr, error) {
	if s == nil || s.agg == nil {
		if s != nil && s.clause != "" {
			return nil, b.errAt(pgerror.New(pgerror.GroupingError, "aggregate functions are not allowed in %s", s.clause), f.Location)
		}
		return nil, b.errAt(pgerror.New(pgerror.GroupingError, "aggregate functions are not allowed here"), f.Location)
	}
	if s.agg.inAgg {
		return nil, b.errAt(pgerror.New(pgerror.GroupingError, "aggregate function calls cannot be nested"), f.Location)
	}
	call := plan.AggCall{Distinct: f.AggDistinct}
	if f.AggFilter != nil {
		s.agg.inAgg = true
		cond, err := b.bindExpr(s, f.AggFilter)
		s.agg.inAgg = false
		if err != nil {
			return nil, err
		}
		if call.Filter, err = b.coerceBool(cond, "FILTER", f.Location); err != nil {
			return nil, err
		}
	}
	for _, n := range f.AggOrder {
		sb := n.GetSortBy()
		if sb == nil {
			continue
		}
		if sb.UseOp != nil {
			return nil, b.errAt(pgerror.Unimplemented("ORDER BY USING is not supported yet"), f.Location)
		}
		s.agg.inAgg = true
		e, err := b.bindExpr(s, sb.Node)
		s.agg.inAgg = false
		if err != nil {
			return nil, err
		}
		if e.Type().Oid == types.OidUnknown {
			if e, err = b.coerce(e, types.Text, castImplicit, f.Location); err != nil {
				return nil, err
			}
		}
		k := plan.AggOrder{Expr: e, Desc: sb.SortbyDir == pg.SortByDir_SORTBY_DESC}
		k.NullsFirst = k.Desc
		switch sb.SortbyNulls {
		case pg.SortByNulls_SORTBY_NULLS_FIRST:
			k.NullsFirst = true
		case pg.SortByNulls_SORTBY_NULLS_LAST:
			k.NullsFirst = false
		}
		call.Order = append(call.Order, k)
	}
	if call.Distinct && len(call.Order) > 0 {
		// PostgreSQL: the ORDER BY keys must be arguments.
		for _, k := range call.Order {
			if len(f.Args) == 0 || k.Expr.String() != figureArgString(b, s, f.Args[0]) {
				return nil, b.errAt(pgerror.New(pgerror.InvalidColumnReference, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list"), f.Location)
			}
		}
	}
	if f.AggStar {
		if name != "count" {
			return nil, b.errAt(pgerror.New(pgerror.WrongObjectType, "%s(*) is not allowed", name), f.Location)
		}
		call.Agg = b.reg.Aggregates("count")[0]
	} else {
		want := 1
		if name == "string_agg" || name == "json_object_agg" || name == "jsonb_object_agg" {
			want = 2
		}
		if len(f.Args) != want {
			return nil, b.errAt(pgerror.New(pgerror.UndefinedFunction, "function %s with %d arguments does not exist", name, len(f.Args)), f.Location)
		}
		s.agg.inAgg = true
		arg, err := b.bindExpr(s, f.Args[0])
		if err == nil && (name == "json_object_agg" || name == "jsonb_object_agg") {
			// Two arguments: the aggregate sees them as one (key, value)
			// record.
			var val plan.Expr
			if val, err = b.bindExpr(s, f.Args[1]); err == nil {
				kv := []plan.Expr{arg, val}
				for i, e := range kv {
					if e.Type().Oid == types.OidUnknown {
						if kv[i], err = b.coerce(e, types.Text, castImplicit, f.Location); err != nil {
							break
						}
					}
				}
				ts := []types.T{kv[0].Type(), kv[1].Type()}
				arg = &plan.Call{Fn: funcs.RowConstructor([]string{"key", "value"}, ts), Args: kv}
			}
		}
		s.agg.inAgg = false
		if err != nil {
			return nil, err
		}
		if name == "count" {
			call.Agg = b.reg.Aggregates("count")[0]
			call.Arg = arg
		} else {
			if arg.Type().Oid == types.OidUnknown {
				if arg, err = b.coerce(arg, types.Text, castImplicit, f.Location); err != nil {
					return nil, err
				}
			}
			agg, a, err := b.resolveAggregate(name, arg, f.Location)
			if err != nil {
				return nil, err
			}
			call.Agg = agg
			args := []plan.Expr{a}
			call.Arg = args[0]
			if name == "string_agg" {
				sep, err := b.bindExpr(s, f.Args[1])
				if err != nil {
					return nil, err
				}
				c, ok := sep.(*plan.Const)
				if !ok {
					return nil, b.errAt(pgerror.Unimplemented("string_agg delimiter must be a constant"), f.Location)
				}
				sepText, err := b.coerce(c, types.Text, castImplicit, f.Location)
				if err != nil {
					return nil, err
				}
				call.Delim = sepText
			}
		}
	}
	s.agg.calls = append(s.agg.calls, call)
	return &plan.AggRef{Idx: len(s.agg.calls) - 1, T: call.Agg.Ret}, nil
}

// resolveAggregate picks the overload of aggregate name for arg (a
// polymorphic one is instantiated for arg's type) and coerces arg to it.
func (b *Binder) resolveAggregate(name string, arg plan.Expr, loc int32) (*funcs.Aggregate, plan.Expr, error) {
	aggs := b.reg.Aggregates(name)
	cands := make([]*funcs.Overload, len(aggs))
	for i, a := range aggs {
		cands[i] = &funcs.Overload{Name: name, Args: []types.T{a.Arg}, Ret: a.Ret}
	}
	ov, args, err := b.resolveOverload(cands, []plan.Expr{arg}, loc)
	if err != nil {
		return nil, nil, err
	}
	if ov == nil {
		return nil, nil, b.errAt(pgerror.New(pgerror.UndefinedFunction, "function %s(%s) does not exist", name, arg.Type()).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts."), loc)
	}
	for i, c := range cands {
		switch c {
		case ov:
			return aggs[i], args[0], nil
		case ov.Generic:
			inst := *aggs[i]
			inst.Arg, inst.Ret = ov.Args[0], ov.Ret
			return &inst, args[0], nil
		}
	}
	return nil, nil, pgerror.AssertionFailed("aggregate overload of %s not found", name)
}

// figureArgString binds an aggregate argument again to compare it with
// ORDER BY keys (DISTINCT aggregates).
func figureArgString(b *Binder, s *scope, n *pg.Node) string {
	s.agg.inAgg = true
	defer func() { s.agg.inAgg = false }()
	e, err := b.bindExpr(s, n)
	if err != nil {
		return ""
	}
	return e.String()
}

// bindCoalesce binds COALESCE(args).
func (b *Binder) bindCoalesce(s *scope, nodes []*pg.Node, loc int32) (plan.Expr, error) {
	args, t, err := b.bindCommon(s, nodes, "COALESCE", loc)
	if err != nil {
		return nil, err
	}
	return &plan.Coalesce{Args: args, T: t}, nil
}

// wholeRow binds a reference to a FROM item by name as a value: a record
// of its visible columns (PostgreSQL's whole-row Var). ok is false when
// no FROM item of the scope or its parents has that name.
func (b *Binder) wholeRow(s *scope, table string) (plan.Expr, bool) {
	for sc := s; sc != nil; sc = sc.parent {
		var names []string
		for _, c := range sc.cols {
			if c.table == table && !c.hidden && !c.system {
				names = append(names, c.name)
			}
		}
		if len(names) == 0 {
			continue
		}
		args := make([]plan.Expr, len(names))
		ts := make([]types.T, len(names))
		for i, n := range names {
			e, err := s.resolve(b, table, n, -1)
			if err != nil {
				return nil, false
			}
			args[i], ts[i] = e, e.Type()
		}
		ov := funcs.RowConstructor(names, ts)
		ov.Name = table // selectField's errors name the table
		return &plan.Call{Fn: ov, Args: args}, true
	}
	return nil, false
}

// bindRow binds ROW(a, b, ...) and (a, b, ...): a record with fields
// f1, f2, ...
func (b *Binder) bindRow(s *scope, r *pg.RowExpr) (plan.Expr, error) {
	args := make([]plan.Expr, len(r.Args))
	ts := make([]types.T, len(r.Args))
	names := make([]string, len(r.Args))
	for i, n := range r.Args {
		e, err := b.bindExpr(s, n)
		if err != nil {
			return nil, err
		}
		if e.Type().Oid == types.OidUnknown {
			if e, err = b.coerce(e, types.Text, castImplicit, r.Location); err != nil {
				return nil, err
			}
		}
		args[i], ts[i], names[i] = e, e.Type(), fmt.Sprintf("f%d", i+1)
	}
	return &plan.Call{Fn: funcs.RowConstructor(names, ts), Args: args}, nil
}
