package kvpb

import (
	"errors"
	"fmt"

	"github.com/aegisdb/aegis/internal/hlc"
)

// ErrSerializationFailure marks every error after which the transaction
// must be retried from the start (SQLSTATE 40001). Test with errors.Is.
var ErrSerializationFailure = errors.New("serialization failure")

// RetryReason says why a transaction must retry.
type RetryReason int

// Retry reasons.
const (
	// RetryWriteConflict: a key the transaction wrote has a version
	// committed after the transaction's snapshot for it.
	RetryWriteConflict RetryReason = iota + 1
	// RetryReadValidation: a key or span a SERIALIZABLE transaction read
	// has a version committed after its snapshot and before its commit.
	RetryReadValidation
)

// TransactionRetryError reports a serialization failure. Nothing of the
// transaction was applied. It satisfies errors.Is(err,
// ErrSerializationFailure) and carries SQLSTATE 40001 through PGCode.
type TransactionRetryError struct {
	Reason RetryReason
	// Key is the conflicting key; Timestamp is the conflicting version's.
	Key       []byte
	Timestamp hlc.Timestamp
}

// Error returns PostgreSQL's message for the failure.
func (e *TransactionRetryError) Error() string {
	if e.Reason == RetryReadValidation {
		return "could not serialize access due to read/write dependencies among transactions"
	}
	return "could not serialize access due to concurrent update"
}

// Detail describes the conflicting version, for the error's DETAIL field.
func (e *TransactionRetryError) Detail() string {
	return fmt.Sprintf("conflicting version of key %q at %s", e.Key, e.Timestamp)
}

// PGCode returns SQLSTATE 40001 (serialization_failure).
func (e *TransactionRetryError) PGCode() string { return "40001" }

// Is makes errors.Is(err, ErrSerializationFailure) true.
func (e *TransactionRetryError) Is(target error) bool { return target == ErrSerializationFailure }
