package pgerror

import (
	"context"
	"errors"
	"fmt"
)

// Code is a five-character SQLSTATE.
type Code string

// Class returns the two-character class of the code.
func (c Code) Class() string { return string(c[:2]) }

// Severity is the severity field of an ErrorResponse or NoticeResponse.
type Severity string

// Severities as PostgreSQL sends them (non-localized).
const (
	SeverityError   Severity = "ERROR"
	SeverityFatal   Severity = "FATAL"
	SeverityNotice  Severity = "NOTICE"
	SeverityWarning Severity = "WARNING"
)

// Error is an error with the fields of a PostgreSQL ErrorResponse.
type Error struct {
	Severity       Severity // ERROR unless set
	Code           Code
	Message        string
	Detail         string
	Hint           string
	Position       int32 // 1-based character position in the statement, 0 = none
	SchemaName     string
	TableName      string
	ColumnName     string
	DataTypeName   string
	ConstraintName string
	// Where is the context (CONTEXT: line in psql), e.g. the COPY line.
	Where string
	cause error
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the wrapped cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// New returns an error with the given code and formatted message.
func New(code Code, format string, args ...any) *Error {
	if len(args) == 0 {
		return &Error{Code: code, Message: format}
	}
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches a code to err; the message is err's own.
func Wrap(err error, code Code) *Error {
	return &Error{Code: code, Message: err.Error(), cause: err}
}

// WithDetail sets the detail and returns e.
func (e *Error) WithDetail(format string, args ...any) *Error {
	e.Detail = fmt.Sprintf(format, args...)
	return e
}

// WithHint sets the hint and returns e.
func (e *Error) WithHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// WithPosition sets the 1-based statement position and returns e.
func (e *Error) WithPosition(pos int32) *Error {
	e.Position = pos
	return e
}

// WithTable sets the schema and table name fields and returns e.
func (e *Error) WithTable(schema, table string) *Error {
	e.SchemaName, e.TableName = schema, table
	return e
}

// Coder is implemented by errors from lower layers (kv) that know their
// SQLSTATE without importing this package's Error type.
type Coder interface {
	PGCode() string
}

// Flatten returns err as an *Error: an *Error in the chain is returned
// as is; a Coder gets its code; context cancellation becomes 57014; any
// other error becomes XX000 internal_error.
func Flatten(err error) *Error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	var c Coder
	if errors.As(err, &c) {
		return &Error{Code: Code(c.PGCode()), Message: err.Error(), cause: err}
	}
	if errors.Is(err, context.Canceled) {
		return &Error{Code: QueryCanceled, Message: "canceling statement due to user request", cause: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Code: QueryCanceled, Message: "canceling statement due to statement timeout", cause: err}
	}
	return &Error{Code: InternalError, Message: err.Error(), cause: err}
}

// CodeOf returns the SQLSTATE of err (XX000 when it has none).
func CodeOf(err error) Code {
	if err == nil {
		return SuccessfulCompletion
	}
	return Flatten(err).Code
}

// ConditionName returns PL/pgSQL's condition name for code, or "".
func ConditionName(code Code) string { return conditionNames[code] }

// AssertionFailed reports a broken invariant (XX000).
func AssertionFailed(format string, args ...any) *Error {
	return New(InternalError, "assertion failed: "+format, args...)
}

// Unimplemented reports a feature Aegis does not support yet (0A000).
func Unimplemented(format string, args ...any) *Error {
	return New(FeatureNotSupported, format, args...)
}

// WithColumn sets the column name field and returns e.
func (e *Error) WithColumn(name string) *Error {
	e.ColumnName = name
	return e
}
