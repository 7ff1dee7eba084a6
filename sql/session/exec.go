package session

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/exec/build"
	"github.com/aegisdb/aegis/exec/op"
	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/bind"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/opt"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// ExecSimple runs a simple-query string (one or more statements). The
// statements share one implicit transaction unless they contain their
// own transaction control, as in PostgreSQL. The first error stops the
// string and is returned.
func (s *Session) ExecSimple(ctx context.Context, sql string, w ResultWriter) error {
	s.noteActive(sql)
	stmts, err := parser.Parse(sql)
	if err != nil {
		s.noteError()
		_ = s.finishImplicit(ctx, false)
		return err
	}
	if len(stmts) == 0 {
		return w.EmptyQuery()
	}
	for _, st := range stmts {
		if err := s.execOne(ctx, st, nil, nil, w, 0, len(stmts) > 1); err != nil {
			s.noteError()
			_ = s.finishImplicit(ctx, false)
			return err
		}
	}
	return s.finishImplicit(ctx, true)
}

// noteError records an error: an explicit block becomes failed. As in
// PostgreSQL, the failed part of the transaction releases its locks at
// once, without waiting for ROLLBACK: the whole transaction, or what
// followed the latest savepoint (which ROLLBACK TO SAVEPOINT may still
// return to).
func (s *Session) noteError() {
	if !s.explicit {
		return
	}
	s.failed = true
	if s.txn == nil {
		return
	}
	ctx := context.Background()
	if n := len(s.savepoints); n > 0 {
		_ = s.txn.RollbackTo(ctx, s.savepoints[n-1].tok)
		s.deferred = s.deferred[:min(len(s.deferred), s.savepoints[n-1].deferred)]
		return
	}
	_ = s.txn.Rollback(ctx)
	s.deferred = nil
}

// execOne runs one statement with parameters (already decoded) and
// result formats; maxRows is unused here (see Execute for portals).
func (s *Session) execOne(ctx context.Context, st parser.Statement, paramTypes []types.T, params []types.Datum, w ResultWriter, _ int, multi bool) error {
	ctx, done := s.statementContext(ctx)
	defer done()
	s.w = w
	if s.failed && !isTxnControl(st.AST) {
		return pgerror.New(pgerror.InFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	if ts, ok := st.AST.Node.(*pg.Node_TransactionStmt); ok {
		tag, err := s.execTxnControl(ctx, ts.TransactionStmt, multi)
		if err != nil {
			return err
		}
		return w.CommandComplete(tag)
	}
	txn := s.ensureTxn(ctx)
	if err := s.checkReadOnly(st.AST); err != nil {
		return err
	}
	if p, ok := queryNode(st.AST); ok {
		_ = p
		if err := txn.TakeSnapshot(ctx); err != nil {
			return err
		}
		node, _, err := s.bindQuery(ctx, txn, st, paramTypes)
		if err != nil {
			return err
		}
		if returnsRows(node) {
			if err := w.RowDescription(node.Columns(), nil); err != nil {
				return err
			}
		}
		tag, err := s.runPlan(ctx, txn, node, params, nil, w, st.AST)
		if err != nil {
			return err
		}
		return w.CommandComplete(tag)
	}
	if ex := st.AST.GetExecuteStmt(); ex != nil {
		// EXECUTE runs a prepared statement as if sent itself.
		p, params, err := s.executeArgs(ctx, txn, ex, st.Offset)
		if err != nil {
			return err
		}
		if p.Stmt == nil {
			return w.EmptyQuery()
		}
		return s.execOne(ctx, *p.Stmt, p.ParamTypes, params, w, 0, multi)
	}
	tag, err := s.execUtility(ctx, txn, st, w)
	if err != nil {
		return err
	}
	return w.CommandComplete(tag)
}

// executeArgs finds the statement EXECUTE names and computes its
// arguments.
func (s *Session) executeArgs(ctx context.Context, txn *kv.Txn, ex *pg.ExecuteStmt, offset int) (*Prepared, []types.Datum, error) {
	p, ok := s.prepared[ex.Name]
	if !ok {
		return nil, nil, pgerror.New(pgerror.UndefinedPstatement, "prepared statement %q does not exist", ex.Name)
	}
	if len(ex.Params) != len(p.ParamTypes) {
		return nil, nil, pgerror.New(pgerror.SyntaxError, "wrong number of parameters for prepared statement %q", ex.Name).
			WithDetail("Expected %d parameters but got %d.", len(p.ParamTypes), len(ex.Params))
	}
	b := bind.New(ctx, catalog.New(txn), s.dbID, &s.typio, nil, offset)
	bld := s.newBuilder(ctx, txn, nil)
	vals := make([]types.Datum, len(ex.Params))
	for i, n := range ex.Params {
		e, err := b.BindParamValue(n, p.ParamTypes[i])
		if err != nil {
			return nil, nil, err
		}
		if vals[i], err = bld.EvalConst(e); err != nil {
			return nil, nil, err
		}
	}
	return p, vals, nil
}

// queryNode reports whether n is a plannable statement.
func queryNode(n *pg.Node) (*pg.Node, bool) {
	switch n.Node.(type) {
	case *pg.Node_SelectStmt, *pg.Node_InsertStmt, *pg.Node_UpdateStmt, *pg.Node_DeleteStmt:
		return n, true
	}
	return nil, false
}

func (s *Session) bindQuery(ctx context.Context, txn *kv.Txn, st parser.Statement, paramTypes []types.T) (plan.Node, []types.T, error) {
	b := bind.New(ctx, catalog.New(txn), s.dbID, &s.typio, paramTypes, st.Offset)
	node, err := b.BindQuery(st.AST)
	if err != nil {
		return nil, nil, err
	}
	node, err = opt.Optimize(node, opt.Options{})
	if err != nil {
		return nil, nil, err
	}
	return node, b.ParamTypes(), nil
}

// runPlan executes a plan, writing DataRows in the given formats (nil =
// all text) and returning the command tag.
func (s *Session) runPlan(ctx context.Context, txn *kv.Txn, node plan.Node, params []types.Datum, formats []int16, w ResultWriter, ast *pg.Node) (string, error) {
	bld := s.newBuilder(ctx, txn, params)
	o, err := bld.Build(node)
	if err != nil {
		return "", err
	}
	enc := newRowEncoder(plan.Types(node.Columns()), formats, &s.typio)
	var rows int64
	err = build.Run(ctx, o, func(b vec.Batch) error {
		n := int(b.NumRows())
		for i := 0; i < n; i++ {
			vals, err := enc.encode(b, i)
			if err != nil {
				return err
			}
			if err := w.DataRow(vals); err != nil {
				return err
			}
		}
		rows += int64(n)
		return nil
	})
	if err != nil {
		return "", err
	}
	return commandTag(ast, o, rows), nil
}

func commandTag(ast *pg.Node, o op.Operator, rows int64) string {
	if rc, ok := o.(op.RowCounter); ok {
		if n := rc.RowsAffected(); n >= 0 {
			rows = n
		}
	}
	switch ast.Node.(type) {
	case *pg.Node_InsertStmt:
		return "INSERT 0 " + strconv.FormatInt(rows, 10)
	case *pg.Node_UpdateStmt:
		return "UPDATE " + strconv.FormatInt(rows, 10)
	case *pg.Node_DeleteStmt:
		return "DELETE " + strconv.FormatInt(rows, 10)
	}
	return "SELECT " + strconv.FormatInt(rows, 10)
}

// rowEncoder encodes result values per column format.
type rowEncoder struct {
	ts       []types.T
	binary   []bool
	settings *typio.Settings
	buf      []byte
}

func newRowEncoder(ts []types.T, formats []int16, settings *typio.Settings) *rowEncoder {
	e := &rowEncoder{ts: ts, binary: make([]bool, len(ts)), settings: settings}
	for i := range ts {
		switch {
		case len(formats) == 1:
			e.binary[i] = formats[0] == 1
		case i < len(formats):
			e.binary[i] = formats[i] == 1
		}
	}
	return e
}

func (e *rowEncoder) encode(b vec.Batch, row int) ([][]byte, error) {
	out := make([][]byte, len(e.ts))
	e.buf = e.buf[:0]
	var err error
	offsets := make([]int, len(e.ts)+1)
	nulls := make([]bool, len(e.ts))
	for c, t := range e.ts {
		offsets[c] = len(e.buf)
		d := vec.Get(t, b.Column(c), row)
		if d == nil {
			nulls[c] = true
			continue
		}
		if e.binary[c] {
			if e.buf, err = typio.AppendBinary(e.buf, t, d); err != nil {
				return nil, err
			}
		} else {
			e.buf = typio.AppendText(e.buf, t, d, e.settings)
		}
	}
	offsets[len(e.ts)] = len(e.buf)
	for c := range e.ts {
		if !nulls[c] {
			if offsets[c] == offsets[c+1] {
				out[c] = []byte{}
			} else {
				out[c] = e.buf[offsets[c]:offsets[c+1]:offsets[c+1]]
			}
		}
	}
	return out, nil
}

// execTxnControl handles BEGIN/COMMIT/ROLLBACK/SAVEPOINT.
func (s *Session) execTxnControl(ctx context.Context, ts *pg.TransactionStmt, multi bool) (string, error) {
	switch ts.Kind {
	case pg.TransactionStmtKind_TRANS_STMT_BEGIN, pg.TransactionStmtKind_TRANS_STMT_START:
		if s.explicit {
			_ = s.notice(pgerror.New(pgerror.ActiveSqlTransaction, "there is already a transaction in progress"))
			return "BEGIN", nil
		}
		if s.txn == nil {
			s.newTxn(ctx, s.isolation())
		}
		s.explicit = true
		if err := s.applyTxnOptions(ts.Options); err != nil {
			return "", err
		}
		return "BEGIN", nil
	case pg.TransactionStmtKind_TRANS_STMT_COMMIT:
		if !s.explicit {
			_ = s.notice(pgerror.New(pgerror.NoActiveSqlTransaction, "there is no transaction in progress"))
			return "COMMIT", nil
		}
		failed := s.failed
		s.explicit, s.failed = false, false
		s.applyLockTimeout()
		txn := s.txn
		s.txn, s.savepoints = nil, nil
		if failed {
			_ = txn.Rollback(ctx)
			return "ROLLBACK", nil
		}
		if err := s.runDeferred(ctx); err != nil {
			_ = txn.Rollback(ctx)
			return "", err
		}
		if err := txn.Commit(ctx); err != nil {
			return "", err
		}
		s.deliverNotifications()
		return "COMMIT", nil
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		if !s.explicit {
			_ = s.notice(pgerror.New(pgerror.NoActiveSqlTransaction, "there is no transaction in progress"))
			return "ROLLBACK", nil
		}
		s.explicit, s.failed = false, false
		if s.txn != nil {
			_ = s.txn.Rollback(ctx)
		}
		s.txn, s.savepoints = nil, nil
		return "ROLLBACK", nil
	case pg.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		if !s.explicit {
			return "", pgerror.New(pgerror.NoActiveSqlTransaction, "SAVEPOINT can only be used in transaction blocks")
		}
		if s.failed {
			return "", pgerror.New(pgerror.InFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block")
		}
		s.savepoints = append(s.savepoints, savepoint{name: ts.SavepointName, tok: s.txn.Savepoint(), deferred: len(s.deferred)})
		return "SAVEPOINT", nil
	case pg.TransactionStmtKind_TRANS_STMT_RELEASE, pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		if !s.explicit {
			return "", pgerror.New(pgerror.NoActiveSqlTransaction, "%s can only be used in transaction blocks",
				map[bool]string{true: "RELEASE SAVEPOINT", false: "ROLLBACK TO SAVEPOINT"}[ts.Kind == pg.TransactionStmtKind_TRANS_STMT_RELEASE])
		}
		i := len(s.savepoints) - 1
		for ; i >= 0 && s.savepoints[i].name != ts.SavepointName; i-- {
		}
		if i < 0 {
			return "", pgerror.New(pgerror.SavepointException, "savepoint %q does not exist", ts.SavepointName)
		}
		if ts.Kind == pg.TransactionStmtKind_TRANS_STMT_RELEASE {
			if s.failed {
				return "", pgerror.New(pgerror.InFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block")
			}
			if err := s.txn.ReleaseSavepoint(s.savepoints[i].tok); err != nil {
				return "", err
			}
			s.savepoints = s.savepoints[:i]
			return "RELEASE", nil
		}
		if err := s.txn.RollbackTo(ctx, s.savepoints[i].tok); err != nil {
			return "", err
		}
		s.savepoints = s.savepoints[:i+1]
		s.savepoints[i].tok = s.txn.Savepoint()
		s.deferred = s.deferred[:min(len(s.deferred), s.savepoints[i].deferred)]
		s.failed = false
		return "ROLLBACK", nil
	case pg.TransactionStmtKind_TRANS_STMT_PREPARE, pg.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED, pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
		return "", pgerror.Unimplemented("prepared transactions are not supported")
	}
	return "", pgerror.Unimplemented("transaction statement not supported")
}

func (s *Session) applyTxnOptions(opts []*pg.Node) error {
	for _, o := range opts {
		de := o.GetDefElem()
		if de == nil {
			continue
		}
		var val string
		if c := de.Arg.GetAConst(); c != nil {
			switch v := c.Val.(type) {
			case *pg.A_Const_Sval:
				val = v.Sval.Sval
			case *pg.A_Const_Ival:
				val = strconv.Itoa(int(v.Ival.Ival))
			}
		}
		switch de.Defname {
		case "transaction_isolation":
			if s.txn.SnapshotTaken() {
				return pgerror.New(pgerror.ActiveSqlTransaction, "SET TRANSACTION ISOLATION LEVEL must be called before any query")
			}
			iso, err := checkIsolation(val)
			if err != nil {
				return errBadValue("transaction_isolation", val, err)
			}
			lvl := kv.ReadCommitted
			switch iso {
			case "repeatable read":
				lvl = kv.RepeatableRead
			case "serializable":
				lvl = kv.Serializable
			}
			if s.txn.IsolationLevel() != lvl {
				ro := s.txn.ReadOnly()
				_ = s.txn.Rollback(context.Background())
				s.newTxn(context.Background(), lvl)
				s.txn.SetReadOnly(ro)
			}
		case "transaction_read_only":
			ro := val == "1" || val == "true" || val == "on"
			if !ro && s.txn.ReadOnly() && s.txn.SnapshotTaken() {
				return pgerror.New(pgerror.ActiveSqlTransaction, "transaction read-write mode must be set before any query")
			}
			s.txn.SetReadOnly(ro)
		case "transaction_deferrable":
		}
	}
	return nil
}

func (s *Session) notice(e *pgerror.Error) error {
	if e.Severity == "" {
		e.Severity = pgerror.SeverityWarning
	}
	if s.w != nil {
		return s.w.Notice(e)
	}
	return nil
}

// isolationName is the SHOW transaction_isolation text.
func (s *Session) isolationName() string {
	lvl := s.isolation()
	if s.txn != nil {
		lvl = s.txn.IsolationLevel()
	}
	switch lvl {
	case kv.RepeatableRead:
		return "repeatable read"
	case kv.Serializable:
		return "serializable"
	}
	return "read committed"
}

// show returns a setting's value as SHOW prints it.
func (s *Session) show(name string) (string, error) {
	name = strings.ToLower(name)
	switch name {
	case "transaction_isolation":
		return s.isolationName(), nil
	case "transaction_read_only":
		if s.txn != nil && s.txn.ReadOnly() {
			return "on", nil
		}
		return s.settings["default_transaction_read_only"], nil
	case "time zone":
		name = "timezone"
	case "session authorization":
		name = "session_authorization"
	}
	v, ok := s.settings[name]
	if !ok {
		return "", errUnknownSetting(name)
	}
	return v, nil
}

func (s *Session) String() string { return fmt.Sprintf("session(%s@%s)", s.user, s.database) }

// returnsRows reports whether a plan produces a result set: queries
// always do (even with zero columns), mutations only with RETURNING.
func returnsRows(n plan.Node) bool {
	switch x := n.(type) {
	case *plan.Insert:
		return x.Returning != nil
	case *plan.Update:
		return x.Returning != nil
	case *plan.Delete:
		return x.Returning != nil
	case *plan.WithDML:
		return returnsRows(x.Main)
	}
	return true
}
