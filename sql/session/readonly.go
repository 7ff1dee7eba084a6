package session

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/pgerror"
)

// checkReadOnly rejects a statement that writes when the transaction is
// READ ONLY, with PostgreSQL's 25006 "cannot execute <command> in a
// read-only transaction" naming the command as PostgreSQL does (the
// command tag, or SELECT FOR UPDATE/SHARE for a locking SELECT).
// Statements it does not name fall through to kv, which rejects their
// writes with the same code and a generic message.
func (s *Session) checkReadOnly(n *pg.Node) error {
	if s.txn == nil || !s.txn.ReadOnly() {
		return nil
	}
	if name := writingCommand(n); name != "" {
		return pgerror.New(pgerror.ReadOnlySqlTransaction, "cannot execute %s in a read-only transaction", name)
	}
	return nil
}

// writingCommand returns the name of the command n if it writes or locks
// rows, else "".
func writingCommand(n *pg.Node) string {
	switch x := n.Node.(type) {
	case *pg.Node_InsertStmt:
		return "INSERT"
	case *pg.Node_UpdateStmt:
		return "UPDATE"
	case *pg.Node_DeleteStmt:
		return "DELETE"
	case *pg.Node_SelectStmt:
		if lc := x.SelectStmt.LockingClause; len(lc) > 0 {
			if c := lc[0].GetLockingClause(); c != nil {
				return "SELECT " + lockStrengthName(c.Strength)
			}
		}
	case *pg.Node_CreateStmt:
		return "CREATE TABLE"
	case *pg.Node_ViewStmt:
		return "CREATE VIEW"
	case *pg.Node_IndexStmt:
		return "CREATE INDEX"
	case *pg.Node_CreateSeqStmt:
		return "CREATE SEQUENCE"
	case *pg.Node_CreateSchemaStmt:
		return "CREATE SCHEMA"
	case *pg.Node_CreatedbStmt:
		return "CREATE DATABASE"
	case *pg.Node_DropdbStmt:
		return "DROP DATABASE"
	case *pg.Node_DropStmt:
		return "DROP " + strings.ReplaceAll(strings.TrimPrefix(x.DropStmt.RemoveType.String(), "OBJECT_"), "_", " ")
	case *pg.Node_AlterTableStmt:
		return "ALTER TABLE"
	case *pg.Node_TruncateStmt:
		return "TRUNCATE TABLE"
	}
	return ""
}

// lockStrengthName is the SQL of a row-locking strength.
func lockStrengthName(s pg.LockClauseStrength) string {
	switch s {
	case pg.LockClauseStrength_LCS_FORKEYSHARE:
		return "FOR KEY SHARE"
	case pg.LockClauseStrength_LCS_FORSHARE:
		return "FOR SHARE"
	case pg.LockClauseStrength_LCS_FORNOKEYUPDATE:
		return "FOR NO KEY UPDATE"
	}
	return "FOR UPDATE"
}
