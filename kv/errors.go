package kv

import (
	"errors"

	"github.com/aegisdb/aegis/kv/kvpb"
	"github.com/aegisdb/aegis/kv/localstore"
)

// ErrSerializationFailure marks every error after which the transaction
// must be retried (SQLSTATE 40001). Test with errors.Is; such errors also
// implement PGCode() string.
var ErrSerializationFailure = kvpb.ErrSerializationFailure

// TransactionRetryError is the concrete type of serialization failures.
type TransactionRetryError = kvpb.TransactionRetryError

// ErrTxnDone is returned by every operation on a transaction after Commit
// or Rollback (including a failed Commit, which aborts it).
var ErrTxnDone = errors.New("kv: transaction already committed or rolled back")

// ErrDBClosed is returned (wrapped) by operations after DB.Close.
var ErrDBClosed = localstore.ErrClosed

// ReadOnlyError is returned by a write in a read-only transaction.
type ReadOnlyError struct{}

// Error implements error with PostgreSQL's message.
func (ReadOnlyError) Error() string { return "cannot execute write in a read-only transaction" }

// PGCode returns SQLSTATE 25006 (read_only_sql_transaction).
func (ReadOnlyError) PGCode() string { return "25006" }

// ErrInvalidSavepoint is returned by RollbackTo and Release for a token that
// is not a live savepoint of the transaction.
var ErrInvalidSavepoint = errors.New("kv: savepoint does not exist")
