// Package parser wraps pg_query (PostgreSQL's own grammar, version 17)
// and turns its parse errors into SQLSTATE 42601 errors with a position.
//
// The binder reads pg_query's protobuf AST directly; there is no second
// AST. pg_query_go is imported only here and in sql/bind.
package parser

import (
	"errors"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"

	"github.com/aegisdb/aegis/sql/pgerror"
)

// Statement is one parsed statement with its source text.
type Statement struct {
	AST *pg_query.Node
	// SQL is the statement's own text (without the trailing semicolon).
	SQL string
	// Offset is the byte offset of SQL within the string that was parsed,
	// used to report positions relative to the whole query string.
	Offset int
}

// Parse parses a query string that may hold several statements.
func Parse(sql string) ([]Statement, error) {
	res, err := pg_query.Parse(sql)
	if err != nil {
		return nil, convertError(sql, err)
	}
	out := make([]Statement, 0, len(res.Stmts))
	for _, rs := range res.Stmts {
		start := int(rs.StmtLocation)
		end := len(sql)
		if rs.StmtLen > 0 {
			end = start + int(rs.StmtLen)
		}
		if start > len(sql) {
			start = len(sql)
		}
		if end > len(sql) {
			end = len(sql)
		}
		out = append(out, Statement{AST: rs.Stmt, SQL: strings.TrimSpace(sql[start:end]), Offset: start})
	}
	return out, nil
}

func convertError(sql string, err error) error {
	var pe *parser.Error
	if errors.As(err, &pe) {
		e := pgerror.New(pgerror.SyntaxError, "%s", pe.Message)
		if pe.Cursorpos > 0 {
			// pg_query reports a 1-based byte offset; the wire wants a
			// 1-based character position.
			e.Position = int32(len([]rune(sql[:min(pe.Cursorpos-1, len(sql))]))) + 1
		}
		if strings.HasPrefix(pe.Message, "unterminated") || strings.Contains(pe.Message, "invalid") {
			// Lexer errors keep 42601 in PostgreSQL too.
			e.Code = pgerror.SyntaxError
		}
		return e
	}
	return pgerror.Wrap(err, pgerror.SyntaxError)
}
