package deparse

import (
	"strconv"
	"strings"

	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// The printer is a port of the expression half of PostgreSQL 15's
// src/backend/utils/adt/ruleutils.c (get_rule_expr and its helpers) for
// the two sets of pretty flags pg_get_expr and pg_get_constraintdef use:
// PRETTYFLAG_PAREN | PRETTYFLAG_INDENT (| PRETTYFLAG_SCHEMA, which does
// not affect expressions) with pretty = true, and PRETTYFLAG_INDENT
// alone without it (plain). Function names below in comments are the C
// functions each method follows.
//
// The flags differ only in where parentheses go. With PRETTYFLAG_PAREN,
// get_rule_expr_paren parenthesizes an operand where precedence needs it
// (isSimpleNode). Without it, get_rule_expr_paren never does; instead
// every operator-like node (OpExpr, ScalarArrayOpExpr, BoolExpr,
// NullTest, BooleanTest, DistinctExpr) parenthesizes itself, and a cast
// parenthesizes its argument: ((a + b) > 0), (NOT (a > 0)), (0)::numeric.
// CASE is laid out one arm per line in both, as both set
// PRETTYFLAG_INDENT.

// Indentation constants of ruleutils.c.
const (
	prettyIndentStd   = 8
	prettyIndentVar   = 4
	prettyIndentLimit = 40
)

type printer struct {
	buf      []byte
	indent   int
	settings *typio.Settings
	// plain is !PRETTY_PAREN: pg_get_expr(expr, rel) and
	// pg_get_constraintdef(oid) without their pretty argument.
	plain bool
}

func (p *printer) str(s string) { p.buf = append(p.buf, s...) }

// keyword is appendContextKeyword: in pretty-indent mode every keyword
// starts a new line indented to the current level.
func (p *printer) keyword(s string, indentBefore, indentAfter, indentPlus int) {
	p.indent += indentBefore
	for len(p.buf) > 0 && p.buf[len(p.buf)-1] == ' ' {
		p.buf = p.buf[:len(p.buf)-1] // removeStringInfoSpaces
	}
	p.buf = append(p.buf, '\n')
	var n int
	if p.indent < prettyIndentLimit {
		n = max(p.indent, 0) + indentPlus
	} else {
		n = prettyIndentLimit + (p.indent-prettyIndentLimit)/(prettyIndentStd/2)
		n %= prettyIndentLimit
		n += indentPlus
	}
	for range n {
		p.buf = append(p.buf, ' ')
	}
	p.str(s)
	p.indent += indentAfter
	if p.indent < 0 {
		p.indent = 0
	}
}

// paren is get_rule_expr_paren: n in parentheses unless it is simple
// under parent. In plain mode it never adds them (see openPlain).
func (p *printer) paren(n node, showImplicit bool, parent node) {
	need := !p.plain && !isSimple(n, parent)
	if need {
		p.str("(")
	}
	p.expr(n, showImplicit)
	if need {
		p.str(")")
	}
}

// openPlain and closePlain are the "if (!PRETTY_PAREN(context))
// appendStringInfoChar(buf, '(')" that, in plain mode, wraps every
// operator-like node in parentheses of its own.
func (p *printer) openPlain() {
	if p.plain {
		p.str("(")
	}
}

func (p *printer) closePlain() {
	if p.plain {
		p.str(")")
	}
}

// list prints nodes separated by ", ".
func (p *printer) list(ns []node, showImplicit bool) {
	for i, n := range ns {
		if i > 0 {
			p.str(", ")
		}
		p.expr(n, showImplicit)
	}
}

// expr is get_rule_expr.
func (p *printer) expr(n node, showImplicit bool) {
	switch n := n.(type) {
	case nil:
		// get_rule_expr prints nothing for a NULL node (omitted slice
		// bounds).
	case *varNode:
		if n.quoted {
			p.str(n.name)
		} else {
			p.str(quoteIdent(n.name))
		}
	case *constNode:
		p.constant(n, 0)
	case *paramNode:
		p.str("$" + strconv.Itoa(n.idx+1))
	case *opNode:
		p.openPlain()
		if len(n.args) == 2 {
			p.paren(n.args[0], true, n)
			p.str(" " + n.op + " ")
			p.paren(n.args[1], true, n)
		} else {
			p.str(n.op + " ")
			p.paren(n.args[0], true, n)
		}
		p.closePlain()
	case *funcNode:
		p.function(n)
	case *castNode:
		if n.implicit && !showImplicit {
			p.paren(n.arg, false, n)
			return
		}
		p.coercion(n.arg, n.to, n)
	case *boolNode:
		p.openPlain()
		switch n.op {
		case plan.And, plan.Or:
			sep := " AND "
			if n.op == plan.Or {
				sep = " OR "
			}
			for i, a := range n.args {
				if i > 0 {
					p.str(sep)
				}
				p.paren(a, false, n)
			}
		default:
			p.str("NOT ")
			p.paren(n.args[0], false, n)
		}
		p.closePlain()
	case *nullTestNode:
		p.openPlain()
		p.paren(n.arg, true, n)
		if n.not {
			p.str(" IS NOT NULL")
		} else {
			p.str(" IS NULL")
		}
		p.closePlain()
	case *boolTestNode:
		p.openPlain()
		p.paren(n.arg, false, n)
		p.str(n.test)
		p.closePlain()
	case *caseNode:
		p.caseExpr(n)
	case *coalesceNode:
		p.str("COALESCE(")
		p.list(n.args, true)
		p.str(")")
	case *minMaxNode:
		if n.greatest {
			p.str("GREATEST(")
		} else {
			p.str("LEAST(")
		}
		p.list(n.args, true)
		p.str(")")
	case *nullIfNode:
		p.str("NULLIF(")
		p.list(n.args[:], true)
		p.str(")")
	case *distinctNode:
		p.openPlain()
		p.paren(n.args[0], true, n)
		p.str(" IS DISTINCT FROM ")
		p.paren(n.args[1], true, n)
		p.closePlain()
	case *saopNode:
		p.openPlain()
		p.paren(n.args[0], true, n)
		p.str(" " + n.op + " ")
		if n.useOr {
			p.str("ANY (")
		} else {
			p.str("ALL (")
		}
		p.paren(n.args[1], true, n)
		p.str(")")
		p.closePlain()
	case *arrayNode:
		p.str("ARRAY[")
		p.list(n.elems, true)
		p.str("]")
		if len(n.elems) == 0 {
			p.str("::" + p.formatType(types.T{Oid: n.t.Oid, Typmod: -1}))
		}
	case *subscriptNode:
		// Parenthesize the array unless it is a plain column.
		_, isVar := n.arr.(*varNode)
		if !isVar {
			p.str("(")
		}
		p.expr(n.arr, showImplicit)
		if !isVar {
			p.str(")")
		}
		for i, u := range n.upper {
			p.str("[")
			if n.lower != nil {
				p.expr(n.lower[i], false)
				p.str(":")
			}
			p.expr(u, false)
			p.str("]")
		}
	case *sqlValueNode:
		p.str(n.text)
	case *rawNode:
		p.str(n.text)
	}
}

// function is get_func_expr for a FuncExpr that is not a cast, with
// get_func_sql_syntax for the SQL-syntax forms.
func (p *printer) function(n *funcNode) {
	switch n.syntax {
	case extractSyntax:
		p.str("EXTRACT(")
		if c, ok := n.args[0].(*constNode); ok {
			if s, ok := c.val.(string); ok {
				p.str(s)
			}
		}
		p.str(" FROM ")
		p.expr(n.args[1], false)
		p.str(")")
		return
	case positionSyntax:
		p.str("POSITION((")
		p.expr(n.args[1], false)
		p.str(") IN (")
		p.expr(n.args[0], false)
		p.str("))")
		return
	case trimSyntax:
		p.str("TRIM(BOTH")
		if len(n.args) == 2 {
			p.str(" ")
			p.expr(n.args[1], false)
		}
		p.str(" FROM ")
		p.expr(n.args[0], false)
		p.str(")")
		return
	}
	p.str(quoteIdent(n.name) + "(")
	p.list(n.args, true)
	p.str(")")
}

// coercion is get_coercion_expr: arg::type, without repeating the label
// of a constant that already has the target type; in plain mode the
// argument is parenthesized: (0)::numeric, (g)::text.
func (p *printer) coercion(arg node, to types.T, parent node) {
	if c, ok := arg.(*constNode); ok && c.t.Oid == to.Oid && c.t.Typmod < 0 {
		p.constant(c, -1)
	} else {
		p.openPlain()
		p.paren(arg, false, parent)
		p.closePlain()
	}
	p.str("::" + p.formatType(to))
}

// caseExpr prints a CaseExpr with one WHEN per line.
func (p *printer) caseExpr(n *caseNode) {
	p.keyword("CASE", 0, prettyIndentVar, 0)
	if n.arg != nil {
		p.str(" ")
		p.expr(n.arg, true)
	}
	for _, w := range n.whens {
		p.keyword("WHEN ", 0, 0, 0)
		p.expr(w.cond, false)
		p.str(" THEN ")
		p.expr(w.result, true)
	}
	p.keyword("ELSE ", 0, 0, 0)
	p.expr(n.els, true)
	p.keyword("END", -prettyIndentVar, 0, 0)
}

// constant is get_const_expr. showType < 0 never labels the constant
// with its type, 0 labels it when reading it back would not give that
// type, > 0 always labels it.
func (p *printer) constant(c *constNode, showType int) {
	if c.val == nil && c.text == "" {
		p.str("NULL")
		if showType >= 0 {
			p.str("::" + p.formatType(c.t))
		}
		return
	}
	text := c.text
	if text == "" {
		text = string(typio.AppendText(nil, c.t, c.val, p.settings))
	}
	needLabel := false
	switch c.t.Oid {
	case types.OidInt4:
		// A negative number is quoted so that it reads back as a
		// constant, not as an operator applied to one.
		if !strings.HasPrefix(text, "-") {
			p.str(text)
		} else {
			p.str("'" + text + "'")
			needLabel = true
		}
	case types.OidNumeric:
		// Unquoted only when it reads back as a numeric: a float-looking
		// number (an integer would read as int4) without a sign.
		if text != "" && text[0] >= '0' && text[0] <= '9' && strings.ContainsAny(text, "eE.") {
			p.str(text)
		} else {
			p.str("'" + text + "'")
			needLabel = true
		}
	case types.OidBool:
		if text == "t" {
			p.str("true")
		} else {
			p.str("false")
		}
	default:
		p.str(quoteLiteral(text))
	}
	if showType < 0 {
		return
	}
	switch c.t.Oid {
	case types.OidBool, types.OidUnknown:
		needLabel = false
	case types.OidInt4:
	case types.OidNumeric:
		needLabel = needLabel || c.t.Typmod >= 0
	default:
		needLabel = true
	}
	if needLabel || showType > 0 {
		p.str("::" + p.formatType(c.t))
	}
}

// isSimple is isSimpleNode: whether n needs no parentheses as an operand
// of parent in pretty mode.
func isSimple(n, parent node) bool {
	switch n := n.(type) {
	case *varNode, *constNode, *paramNode:
		return true
	case *subscriptNode, *arrayNode, *coalesceNode, *minMaxNode, *sqlValueNode,
		*nullIfNode, *funcNode, *caseNode, *rawNode:
		// Function-like, or (CASE) keywords that act as parentheses.
		return true
	case *castNode:
		if n.kind == coerceFunc {
			return true // a FuncExpr: function-like
		}
		return isSimple(n.arg, n)
	case *opNode:
		if po, ok := parent.(*opNode); ok {
			op, pop := binaryOp(n), binaryOp(po)
			if op == "" || pop == "" {
				return false
			}
			// Only the basic arithmetic operators are known; as in
			// ruleutils.c, the first character decides.
			loOp, hiOp := strings.IndexByte("+-", op[0]) >= 0, strings.IndexByte("*/%", op[0]) >= 0
			loParent, hiParent := strings.IndexByte("+-", pop[0]) >= 0, strings.IndexByte("*/%", pop[0]) >= 0
			switch {
			case !loOp && !hiOp, !loParent && !hiParent:
				return false
			case hiOp && loParent:
				return true // binds tighter than the parent
			case loOp && hiParent:
				return false
			}
			// Same priority: (a - b) - c needs no parentheses, a - (b - c)
			// does.
			return po.args[0] == node(n)
		}
		return simpleUnder(parent)
	case *nullTestNode, *boolTestNode, *distinctNode:
		return simpleUnder(parent)
	case *boolNode:
		switch pn := parent.(type) {
		case *boolNode:
			switch n.op {
			case plan.Not, plan.And:
				return pn.op == plan.And || pn.op == plan.Or
			case plan.Or:
				return pn.op == plan.Or
			}
			return false
		case *funcNode:
			return pn.syntax == callSyntax
		case *castNode:
			return false
		case *subscriptNode, *arrayNode, *coalesceNode, *minMaxNode, *nullIfNode, *caseNode:
			return true
		}
		return false
	}
	// Those we don't know: in dubio complexo (ScalarArrayOpExpr among
	// them).
	return false
}

// simpleUnder is the part of isSimpleNode shared by operators, NULL
// tests, boolean tests and IS DISTINCT FROM: simple only under nodes with
// their own parentheses or lower precedence.
func simpleUnder(parent node) bool {
	switch pn := parent.(type) {
	case *funcNode:
		return pn.syntax == callSyntax
	case *castNode:
		return false
	case *boolNode, *subscriptNode, *arrayNode, *coalesceNode, *minMaxNode, *nullIfNode, *caseNode:
		return true
	}
	return false
}

// binaryOp is get_simple_binary_op_name: the operator of a binary
// OpExpr, "" for a prefix one.
func binaryOp(n *opNode) string {
	if len(n.args) != 2 {
		return ""
	}
	return n.op
}

// formatType is formatType with user-defined types named as the session
// sees them (schema-qualified when not on the search path).
func (p *printer) formatType(t types.T) string {
	if t.IsArray() && t.Elem().IsEnum() {
		return p.formatType(t.Elem()) + "[]"
	}
	if t.IsEnum() && p.settings != nil && p.settings.Names != nil {
		if name, ok := p.settings.Names.RegName(types.OidRegType, int64(t.Oid)); ok {
			return name
		}
	}
	return formatType(t)
}
