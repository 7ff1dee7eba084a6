package session

import (
	"context"
	"time"

	"github.com/aegisdb/aegis/exec/op"
	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// Prepared is a parsed (and, for queries, bound) statement.
type Prepared struct {
	// plan is the optimized plan bound at planGen, the catalog generation
	// it was bound under; Execute reuses it while the catalog is unchanged.
	plan    plan.Node
	planGen string

	Stmt *parser.Statement // nil for an empty query
	// SQL is the statement's text (for PREPARE, the whole PREPARE
	// statement), Time when it was prepared, FromSQL whether by PREPARE.
	SQL        string
	Time       time.Time
	FromSQL    bool
	ParamTypes []types.T
	// Columns of the result; nil when the statement returns no rows.
	Columns []plan.Column
}

// Portal is a prepared statement bound to parameter values.
type Portal struct {
	prep    *Prepared
	params  []types.Datum
	formats []int16

	// Running state for a query portal that was suspended.
	started bool
	op      op.Operator
	enc     *rowEncoder
	pending vec.Batch
	pendPos int
	rows    int64
	done    bool
	tag     string
}

// Prepare parses and analyses a statement (the Parse message).
func (s *Session) Prepare(ctx context.Context, name, sql string, paramOIDs []uint32) (*Prepared, error) {
	if name != "" {
		if _, ok := s.prepared[name]; ok {
			return nil, pgerror.New(pgerror.DuplicatePreparedStatement, "prepared statement %q already exists", name)
		}
	}
	if s.failed {
		return nil, pgerror.New(pgerror.InFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	stmts, err := parser.Parse(sql)
	if err != nil {
		return nil, err
	}
	if len(stmts) > 1 {
		return nil, pgerror.New(pgerror.SyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	p := &Prepared{SQL: sql, Time: time.Now()}
	pt := make([]types.T, len(paramOIDs))
	for i, oid := range paramOIDs {
		if oid == 0 {
			pt[i] = types.Unknown
			continue
		}
		t, ok := types.FromOid(oid)
		if !ok {
			return nil, pgerror.New(pgerror.UndefinedObject, "type with OID %d does not exist", oid)
		}
		pt[i] = t
	}
	p.ParamTypes = pt
	if len(stmts) == 1 {
		p.Stmt = &stmts[0]
		if _, ok := queryNode(p.Stmt.AST); ok {
			txn := s.ensureTxn(ctx)
			node, ptypes, err := s.bindQuery(ctx, txn, *p.Stmt, pt)
			if err != nil {
				return nil, err
			}
			p.ParamTypes = ptypes
			if gen, err := catalog.New(txn).Generation(ctx); err == nil {
				p.plan, p.planGen = node, gen
			}
			if returnsRows(node) {
				p.Columns = append([]plan.Column{}, node.Columns()...)
			}
		} else if p.Stmt.AST.GetExplainStmt() != nil {
			p.Columns = []plan.Column{{Name: "QUERY PLAN", T: types.Text}}
		} else if sh := p.Stmt.AST.GetVariableShowStmt(); sh != nil {
			p.Columns = []plan.Column{{Name: displayName(sh.Name), T: types.Text}}
		}
	}
	s.prepared[name] = p
	return p, nil
}

// Bind creates a portal from a prepared statement (the Bind message).
func (s *Session) Bind(ctx context.Context, portal, stmt string, paramFormats []int16, params [][]byte, resultFormats []int16) error {
	if s.failed {
		return pgerror.New(pgerror.InFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	p, ok := s.prepared[stmt]
	if !ok {
		return pgerror.New(pgerror.UndefinedPstatement, "prepared statement %q does not exist", stmt)
	}
	if len(params) != len(p.ParamTypes) {
		return pgerror.New(pgerror.ProtocolViolation, "bind message supplies %d parameters, but prepared statement %q requires %d", len(params), stmt, len(p.ParamTypes))
	}
	if len(paramFormats) > 1 && len(paramFormats) != len(params) {
		return pgerror.New(pgerror.ProtocolViolation, "bind message has %d parameter formats but %d parameters", len(paramFormats), len(params))
	}
	if p.Columns != nil && len(resultFormats) > 1 && len(resultFormats) != len(p.Columns) {
		return pgerror.New(pgerror.ProtocolViolation, "bind message has %d result formats but query has %d columns", len(resultFormats), len(p.Columns))
	}
	vals := make([]types.Datum, len(params))
	for i, raw := range params {
		if raw == nil {
			continue
		}
		format := int16(0)
		if len(paramFormats) == 1 {
			format = paramFormats[0]
		} else if i < len(paramFormats) {
			format = paramFormats[i]
		}
		t := p.ParamTypes[i]
		var err error
		if format == 1 {
			vals[i], err = typio.ParseBinary(t, raw)
			if err != nil && pgerror.CodeOf(err) == pgerror.InternalError {
				err = pgerror.New(pgerror.InvalidBinaryRepresentation, "incorrect binary data format in bind parameter %d", i+1)
			}
		} else {
			vals[i], err = typio.ParseText(t, string(raw), &s.typio)
		}
		if err != nil {
			return err
		}
	}
	if old, ok := s.portals[portal]; ok && portal != "" {
		_ = old
		return pgerror.New(pgerror.DuplicateCursor, "portal %q already exists", portal)
	}
	s.closePortal(portal)
	s.portals[portal] = &Portal{prep: p, params: vals, formats: resultFormats}
	return nil
}

// DescribeStatement returns a prepared statement's parameter types and
// result columns.
func (s *Session) DescribeStatement(name string) (*Prepared, error) {
	p, ok := s.prepared[name]
	if !ok {
		return nil, pgerror.New(pgerror.UndefinedPstatement, "prepared statement %q does not exist", name)
	}
	return p, nil
}

// DescribePortal returns a portal's result columns and formats.
func (s *Session) DescribePortal(name string) ([]plan.Column, []int16, error) {
	p, ok := s.portals[name]
	if !ok {
		return nil, nil, pgerror.New(pgerror.UndefinedCursor, "portal %q does not exist", name)
	}
	return p.prep.Columns, p.formats, nil
}

// CloseStatement drops a prepared statement (closing a missing one is not
// an error).
func (s *Session) CloseStatement(name string) { delete(s.prepared, name) }

// ClosePortal drops a portal.
func (s *Session) ClosePortal(name string) { s.closePortal(name) }

func (s *Session) closePortal(name string) {
	if p, ok := s.portals[name]; ok {
		if p.op != nil {
			_ = p.op.Close()
		}
		if p.pending != nil {
			p.pending.Release()
		}
		delete(s.portals, name)
	}
}

// Execute runs a portal, sending at most maxRows rows (0 = all). It
// returns suspended=true when rows remain (PortalSuspended).
func (s *Session) Execute(ctx context.Context, name string, maxRows int, w ResultWriter) (suspended bool, err error) {
	p, ok := s.portals[name]
	if !ok {
		return false, pgerror.New(pgerror.UndefinedCursor, "portal %q does not exist", name)
	}
	if p.prep.Stmt == nil {
		return false, w.EmptyQuery()
	}
	if !p.started && !p.done {
		s.noteActive(p.prep.SQL)
	}
	st := *p.prep.Stmt
	if _, isQuery := queryNode(st.AST); !isQuery {
		if p.done {
			return false, w.CommandComplete(p.tag)
		}
		p.done = true
		err := s.execOne(ctx, st, p.prep.ParamTypes, p.params, &noDescribe{w}, 0, false)
		return false, err
	}
	if s.failed {
		return false, pgerror.New(pgerror.InFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	ctx, done := s.statementContext(ctx)
	defer done()
	s.w = w
	if !p.started {
		txn := s.ensureTxn(ctx)
		if err := s.checkReadOnly(st.AST); err != nil {
			return false, err
		}
		if err := txn.TakeSnapshot(ctx); err != nil {
			return false, err
		}
		node, err := s.preparedPlan(ctx, txn, p.prep)
		if err != nil {
			return false, err
		}
		bld := s.newBuilder(ctx, txn, p.params)
		o, err := bld.Build(node)
		if err != nil {
			return false, err
		}
		if err := o.Open(ctx); err != nil {
			_ = o.Close()
			return false, err
		}
		p.op, p.started = o, true
		p.enc = newRowEncoder(plan.Types(node.Columns()), p.formats, &s.typio)
	}
	if p.done {
		return false, w.CommandComplete(p.tag)
	}
	sent := 0
	for {
		if maxRows > 0 && sent >= maxRows {
			return true, nil
		}
		if p.pending == nil || p.pendPos >= int(p.pending.NumRows()) {
			if p.pending != nil {
				p.pending.Release()
				p.pending = nil
			}
			b, err := p.op.Next(ctx)
			if err != nil {
				return false, err
			}
			if b == nil {
				break
			}
			p.pending, p.pendPos = b, 0
		}
		vals, err := p.enc.encode(p.pending, p.pendPos)
		if err != nil {
			return false, err
		}
		if err := w.DataRow(vals); err != nil {
			return false, err
		}
		p.pendPos++
		p.rows++
		sent++
	}
	// A SELECT's tag counts the rows of this Execute, as PostgreSQL's
	// does for a portal fetched in pieces.
	p.tag = commandTag(st.AST, p.op, int64(sent))
	p.done = true
	_ = p.op.Close()
	return false, w.CommandComplete(p.tag)
}

// Sync ends an extended-protocol sequence: an implicit transaction
// commits (or rolls back after an error).
func (s *Session) Sync(ctx context.Context, hadError bool) error {
	if hadError {
		s.noteError()
	}
	// Unnamed portals die at Sync in practice (the next Bind replaces them);
	// keep named ones for the transaction.
	if !s.explicit {
		for name := range s.portals {
			s.closePortal(name)
		}
	}
	return s.finishImplicit(ctx, !hadError)
}

// noDescribe suppresses RowDescription (the extended protocol sends it
// only in answer to Describe).
type noDescribe struct{ ResultWriter }

func (noDescribe) RowDescription([]plan.Column, []int16) error { return nil }

// preparedPlan returns the plan for executing a prepared query: the cached
// one while the catalog generation is the one it was bound under,
// otherwise a fresh binding (which is cached in turn).
func (s *Session) preparedPlan(ctx context.Context, txn *kv.Txn, p *Prepared) (plan.Node, error) {
	gen, err := catalog.New(txn).Generation(ctx)
	if err != nil {
		return nil, err
	}
	if p.plan != nil && p.planGen == gen {
		return p.plan, nil
	}
	node, _, err := s.bindQuery(ctx, txn, *p.Stmt, p.ParamTypes)
	if err != nil {
		return nil, err
	}
	// The client was told the result's shape at Describe: as PostgreSQL,
	// refuse to return something else.
	if p.Columns != nil && returnsRows(node) {
		cols := node.Columns()
		same := len(cols) == len(p.Columns)
		for i := 0; same && i < len(cols); i++ {
			same = cols[i].T == p.Columns[i].T
		}
		if !same {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "cached plan must not change result type")
		}
	}
	p.plan, p.planGen = node, gen
	return node, nil
}
