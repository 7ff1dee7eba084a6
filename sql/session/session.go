package session

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/seq"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// Engine is what every session of a node shares.
type Engine struct {
	DB  *kv.DB
	Seq *seq.Manager

	backendsOnce sync.Once
	backends     *backends
	hubOnce      sync.Once
	notify       *notifyHub
}

// ResultWriter receives a statement's results. pgwire implements it.
type ResultWriter interface {
	RowDescription(cols []plan.Column, formats []int16) error
	DataRow(values [][]byte) error
	CommandComplete(tag string) error
	EmptyQuery() error
	ParameterStatus(name, value string) error
	Notice(n *pgerror.Error) error
	CopyWriter
}

// TxnStatus is the ReadyForQuery transaction indicator.
type TxnStatus byte

// Transaction statuses.
const (
	TxnIdle   TxnStatus = 'I'
	TxnInTxn  TxnStatus = 'T'
	TxnFailed TxnStatus = 'E'
)

// Session is one client connection's SQL state.
type Session struct {
	eng      *Engine
	user     string
	database string
	dbID     uint32

	settings map[string]string
	typio    typio.Settings

	txn      *kv.Txn
	w        ResultWriter // the writer of the running statement (for notices)
	explicit bool         // inside BEGIN ... COMMIT
	// deferred are the checks of deferred constraints queued by the
	// current transaction, run at COMMIT; constraintsMode is SET
	// CONSTRAINTS ALL's choice ("", "immediate" or "deferred").
	deferred        []deferredCheck
	constraintsMode string
	failed          bool // an error occurred inside the explicit block
	txnTime         types.DTimestamp
	savepoints      []savepoint

	currval     map[uint32]int64
	lastval     int64
	haveLastval bool

	prepared map[string]*Prepared
	portals  map[string]*Portal

	// pendingNotify are the NOTIFY messages of the current transaction.
	pendingNotify []Notification

	mu struct {
		sync.Mutex
		cancel   context.CancelFunc
		stmtCtx  context.Context // the running statement's (Context)
		act      activity
		notifier func(Notification)
	}
}

type savepoint struct {
	name string
	tok  kv.SavepointToken
	// deferred is how many deferred constraint checks were queued when
	// the savepoint was set.
	deferred int
}

// New opens a session for user on database, validating both the way
// PostgreSQL does at connection start (28000, 3D000). params are the
// startup parameters (client_encoding, DateStyle, options, ...).
func (e *Engine) New(ctx context.Context, user, database string, params map[string]string) (*Session, error) {
	s := &Session{eng: e, user: user, database: database, settings: map[string]string{},
		prepared: map[string]*Prepared{}, portals: map[string]*Portal{}}
	for name, def := range settingDefs {
		s.settings[name] = def.def
	}
	s.settings["session_authorization"] = user
	s.applyTypio()
	txn := e.DB.Begin(ctx, kv.ReadCommitted)
	defer txn.Rollback(ctx)
	cat := catalog.New(txn)
	ok, err := cat.RoleExists(ctx, user)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, pgerror.New(pgerror.InvalidAuthorizationSpecification, "role %q does not exist", user)
	}
	db, err := cat.Database(ctx, database)
	if err != nil {
		return nil, err
	}
	if db == nil {
		return nil, pgerror.New(pgerror.InvalidCatalogName, "database %q does not exist", database)
	}
	s.dbID = db.ID
	for k, v := range params {
		switch k {
		case "user", "database", "replication":
			continue
		case "options":
			if err := s.applyOptions(v); err != nil {
				return nil, err
			}
			continue
		}
		if err := s.set(k, v); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// applyOptions handles the startup "options" parameter (-c name=value).
func (s *Session) applyOptions(opts string) error {
	fields := strings.Fields(opts)
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		var kvp string
		switch {
		case f == "-c" && i+1 < len(fields):
			i++
			kvp = fields[i]
		case strings.HasPrefix(f, "-c"):
			kvp = f[2:]
		case strings.HasPrefix(f, "--"):
			kvp = f[2:]
		default:
			continue
		}
		name, val, ok := strings.Cut(kvp, "=")
		if !ok {
			return pgerror.New(pgerror.SyntaxError, "invalid command-line argument for server process: %s", f)
		}
		if err := s.set(strings.ReplaceAll(name, "-", "_"), val); err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) applyTypio() {
	loc, _, err := LoadTimeZone(s.settings["timezone"])
	if err != nil {
		loc = time.UTC
	}
	s.typio = typio.Settings{Location: loc, DateStyle: s.settings["datestyle"], IntervalStyle: s.settings["intervalstyle"], Names: regNames{s}}
	fmt.Sscan(s.settings["extra_float_digits"], &s.typio.ExtraFloatDigits)
}

// set changes a setting (session scope).
func (s *Session) set(name, value string) error {
	name = strings.ToLower(name)
	def, ok := settingDefs[name]
	if !ok {
		if strings.Contains(name, ".") {
			// Custom (extension-qualified) settings are accepted as is.
			s.settings[name] = value
			return nil
		}
		return errUnknownSetting(name)
	}
	if def.check != nil {
		v, err := def.check(value)
		if err != nil {
			return errBadValue(displayName(name), value, err)
		}
		value = v
	} else if name == "server_version" || name == "server_encoding" || name == "is_superuser" || name == "integer_datetimes" ||
		name == "server_version_num" || name == "max_identifier_length" || name == "block_size" || name == "lc_collate" || name == "lc_ctype" {
		return pgerror.New(pgerror.CantChangeRuntimeParam, "parameter %q cannot be changed", name)
	}
	s.settings[name] = value
	s.applyTypio()
	return nil
}

// ParameterStatuses returns the reported settings, sent after startup.
func (s *Session) ParameterStatuses() [][2]string {
	var out [][2]string
	for _, name := range settingNames() {
		if settingDefs[name].reported {
			out = append(out, [2]string{displayName(name), s.settings[name]})
		}
	}
	return out
}

// TxnStatus returns the ReadyForQuery indicator.
func (s *Session) TxnStatus() TxnStatus {
	switch {
	case s.failed:
		return TxnFailed
	case s.explicit:
		return TxnInTxn
	}
	return TxnIdle
}

// Cancel cancels the running statement, if any (safe to call from any
// goroutine).
func (s *Session) Cancel() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mu.cancel != nil {
		s.mu.cancel()
	}
}

// statementContext derives the context a statement runs under:
// cancellable by Cancel and bounded by statement_timeout.
func (s *Session) statementContext(ctx context.Context) (context.Context, context.CancelFunc) {
	var cancel context.CancelFunc
	if d, _ := parseDuration(s.settings["statement_timeout"]); d > 0 {
		ctx, cancel = context.WithTimeout(ctx, d)
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	s.mu.Lock()
	s.mu.cancel = cancel
	prev := s.mu.stmtCtx
	s.mu.stmtCtx = ctx
	s.mu.Unlock()
	return ctx, func() {
		s.mu.Lock()
		s.mu.cancel = nil
		s.mu.stmtCtx = prev
		s.mu.Unlock()
		cancel()
	}
}

// Close releases the session's transaction.
func (s *Session) Close(ctx context.Context) {
	s.unlisten("*")
	if s.txn != nil {
		_ = s.txn.Rollback(ctx)
		s.txn = nil
	}
}

func (s *Session) isolation() kv.IsolationLevel {
	switch s.settings["default_transaction_isolation"] {
	case "repeatable read":
		return kv.RepeatableRead
	case "serializable":
		return kv.Serializable
	}
	return kv.ReadCommitted
}

// ensureTxn returns the current transaction, starting an implicit one.
func (s *Session) ensureTxn(ctx context.Context) *kv.Txn {
	if s.txn == nil {
		s.newTxn(ctx, s.isolation())
	} else {
		s.txn.Step()
	}
	s.applyLockTimeout()
	return s.txn
}

// applyLockTimeout gives the transaction the session's lock_timeout: it
// bounds each wait for a row lock of the next statement (or COMMIT).
// statement_timeout is the statement context's deadline instead.
func (s *Session) applyLockTimeout() {
	if s.txn == nil {
		return
	}
	d, _ := parseDuration(s.settings["lock_timeout"])
	s.txn.SetLockTimeout(d)
}

func (s *Session) newTxn(ctx context.Context, iso kv.IsolationLevel) {
	s.txn = s.eng.DB.Begin(ctx, iso)
	s.deferred, s.constraintsMode = nil, ""
	s.pendingNotify = nil
	if s.settings["default_transaction_read_only"] == "on" {
		s.txn.SetReadOnly(true)
	}
	s.txnTime = types.DTimestamp(time.Now().UnixMicro())
}

// finishImplicit ends an implicit transaction: commit when ok, else roll
// back. Explicit blocks are left alone.
func (s *Session) finishImplicit(ctx context.Context, ok bool) error {
	if s.explicit || s.txn == nil {
		return nil
	}
	s.applyLockTimeout()
	txn := s.txn
	s.txn = nil
	s.savepoints = nil
	if !ok {
		return txn.Rollback(ctx)
	}
	if err := s.runDeferred(ctx); err != nil {
		_ = txn.Rollback(ctx)
		return err
	}
	if err := txn.Commit(ctx); err != nil {
		return err
	}
	s.deliverNotifications()
	return nil
}

// Env for functions.

// Settings implements funcs.Env.
func (s *Session) Settings() *typio.Settings { return &s.typio }

// CurrentDatabase implements funcs.Env.
func (s *Session) CurrentDatabase() string { return s.database }

// CurrentUser implements funcs.Env.
func (s *Session) CurrentUser() string { return s.user }

// TxnTimestamp implements funcs.Env.
func (s *Session) TxnTimestamp() types.DTimestamp { return s.txnTime }

// Context implements funcs.Env.
func (s *Session) Context() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mu.stmtCtx != nil {
		return s.mu.stmtCtx
	}
	return context.Background()
}

// stmtKind classifies a statement for transaction handling.
func isTxnControl(n *pg.Node) bool {
	_, ok := n.Node.(*pg.Node_TransactionStmt)
	return ok
}

// Setting implements funcs.Env (current_setting).
func (s *Session) Setting(name string, missingOK bool) (string, bool, error) {
	v, err := s.show(name)
	if err != nil {
		if missingOK && pgerror.CodeOf(err) == pgerror.UndefinedObject {
			return "", false, nil
		}
		return "", false, err
	}
	return v, true, nil
}

// SetConfig implements funcs.Env (set_config). SET LOCAL semantics are
// those of SET for now (see execSet).
func (s *Session) SetConfig(name, value string, local bool) (string, error) {
	if err := s.set(name, value); err != nil {
		return "", err
	}
	v, _, err := s.Setting(name, false)
	return v, err
}
