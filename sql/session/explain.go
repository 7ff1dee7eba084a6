package session

import (
	"context"
	"fmt"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/explain"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// explain runs EXPLAIN [ANALYZE] on a query.
func (s *Session) explain(ctx context.Context, txn *kv.Txn, es *pg.ExplainStmt, offset int, w ResultWriter) (string, error) {
	analyze := false
	for _, o := range es.Options {
		de := o.GetDefElem()
		if de == nil {
			continue
		}
		val := strings.ToLower(constString(de.Arg))
		on := de.Arg == nil || val == "on" || val == "true" || val == "1"
		switch de.Defname {
		case "analyze":
			analyze = on
		case "format":
			if val != "text" {
				return "", pgerror.Unimplemented("EXPLAIN (FORMAT %s) is not supported yet", strings.ToUpper(val))
			}
		case "verbose", "costs", "buffers", "timing", "summary", "settings", "wal":
		default:
			return "", pgerror.New(pgerror.SyntaxError, "unrecognized EXPLAIN option %q", de.Defname)
		}
	}
	if _, ok := queryNode(es.Query); !ok {
		return "", pgerror.Unimplemented("EXPLAIN of this statement is not supported")
	}
	start := time.Now()
	st := parser.Statement{AST: es.Query, Offset: offset}
	node, _, err := s.bindQuery(ctx, txn, st, nil)
	if err != nil {
		return "", err
	}
	planning := time.Since(start)
	lines := explain.Lines(node)
	if analyze {
		begin := time.Now()
		rows := &countingWriter{ResultWriter: w}
		if _, err := s.runPlan(ctx, txn, node, nil, nil, rows, es.Query); err != nil {
			return "", err
		}
		lines[0] += fmt.Sprintf(" (actual rows=%d loops=1)", rows.rows)
		lines = append(lines, fmt.Sprintf("Planning Time: %.3f ms", ms(planning)), fmt.Sprintf("Execution Time: %.3f ms", ms(time.Since(begin))))
	}
	if err := w.RowDescription([]plan.Column{{Name: "QUERY PLAN", T: types.Text}}, nil); err != nil {
		return "", err
	}
	for _, l := range lines {
		if err := w.DataRow([][]byte{[]byte(l)}); err != nil {
			return "", err
		}
	}
	return "EXPLAIN", nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// countingWriter discards result rows, counting them (EXPLAIN ANALYZE).
type countingWriter struct {
	ResultWriter
	rows int64
}

func (c *countingWriter) DataRow([][]byte) error                      { c.rows++; return nil }
func (c *countingWriter) RowDescription([]plan.Column, []int16) error { return nil }
func (c *countingWriter) CommandComplete(string) error                { return nil }
