package pgwire

import (
	"context"
	"encoding/binary"
	"errors"
	"github.com/aegisdb/aegis/sql/types"
	"io"
	"net"
	"sync"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/session"
)

// conn is one client connection.
type conn struct {
	srv    *Server
	nc     net.Conn
	be     *pgproto3.Backend
	sess   *session.Session
	pid    uint32
	secret uint32
	// wmu is held while a client message is processed; asynchronous
	// notifications are written only outside it (between messages).
	wmu    sync.Mutex
	notify chan session.Notification
}

// deliver queues a notification for the connection (never blocks: a
// client that does not read them loses the excess, which PostgreSQL
// would instead buffer on disk).
func (c *conn) deliver(n session.Notification) {
	select {
	case c.notify <- n:
	default:
	}
}

// sendNotifications writes queued notifications while the connection is
// between messages; it returns when done is closed.
func (c *conn) sendNotifications(done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case n := <-c.notify:
			c.wmu.Lock()
			c.be.Send(&pgproto3.NotificationResponse{PID: n.PID, Channel: n.Channel, Payload: n.Payload})
			err := c.be.Flush()
			c.wmu.Unlock()
			if err != nil {
				return
			}
		}
	}
}

func (c *conn) startup(ctx context.Context, m *pgproto3.StartupMessage) error {
	if m.ProtocolVersion>>16 != 3 {
		return pgerror.New(pgerror.FeatureNotSupported, "unsupported frontend protocol %d.%d: server supports 3.0 to 3.0",
			m.ProtocolVersion>>16, m.ProtocolVersion&0xffff)
	}
	user := m.Parameters["user"]
	if user == "" {
		return pgerror.New(pgerror.InvalidAuthorizationSpecification, "no PostgreSQL user name specified in startup packet")
	}
	db := m.Parameters["database"]
	if db == "" {
		db = user
	}
	if m.Parameters["replication"] != "" && m.Parameters["replication"] != "false" && m.Parameters["replication"] != "off" {
		return pgerror.New(pgerror.FeatureNotSupported, "replication connections are not supported yet")
	}
	sess, err := c.srv.engine.New(ctx, user, db, m.Parameters)
	if err != nil {
		return err
	}
	c.sess = sess
	host, port := "", 0
	if a, ok := c.nc.RemoteAddr().(*net.TCPAddr); ok {
		host, port = a.IP.String(), a.Port
	}
	sess.Attach(c.pid, host, port, func() { _ = c.nc.Close() })
	c.notify = make(chan session.Notification, 1024)
	sess.SetNotifier(c.deliver)
	c.be.Send(&pgproto3.AuthenticationOk{})
	for _, ps := range sess.ParameterStatuses() {
		c.be.Send(&pgproto3.ParameterStatus{Name: ps[0], Value: ps[1]})
	}
	c.be.Send(&pgproto3.BackendKeyData{ProcessID: c.pid, SecretKey: binary.BigEndian.AppendUint32(nil, c.secret)})
	c.be.Send(&pgproto3.ReadyForQuery{TxStatus: byte(sess.TxnStatus())})
	return c.be.Flush()
}

// serve runs the message loop until Terminate or a connection error.
func (c *conn) serve(ctx context.Context) error {
	// skipping is set after an error in the extended protocol: messages
	// are discarded until Sync.
	skipping := false
	hadError := false
	w := &writer{be: c.be}
	done := make(chan struct{})
	defer close(done)
	go c.sendNotifications(done)
	locked := false
	defer func() {
		if locked {
			c.wmu.Unlock()
		}
	}()
	for {
		if locked {
			c.wmu.Unlock()
			locked = false
		}
		msg, err := c.be.Receive()
		c.wmu.Lock()
		locked = true
		if err != nil {
			var pe *pgproto3.ExceededMaxBodyLenErr
			if errors.As(err, &pe) {
				c.sendError(pgerror.New(pgerror.ProgramLimitExceeded, "invalid message length"), pgerror.SeverityFatal)
				_ = c.be.Flush()
			}
			return err
		}
		if skipping {
			switch msg.(type) {
			case *pgproto3.Sync:
			case *pgproto3.Terminate:
				return nil
			default:
				continue
			}
		}
		switch m := msg.(type) {
		case *pgproto3.Query:
			if err := c.sess.ExecSimple(ctx, m.String, w); err != nil {
				c.sendError(err, pgerror.SeverityError)
			}
			c.sess.NoteIdle()
			c.be.Send(&pgproto3.ReadyForQuery{TxStatus: byte(c.sess.TxnStatus())})
			if err := c.be.Flush(); err != nil {
				return err
			}
		case *pgproto3.Parse:
			if _, err := c.sess.Prepare(ctx, m.Name, m.Query, m.ParameterOIDs); err != nil {
				c.fail(err, &skipping, &hadError)
				continue
			}
			c.be.Send(&pgproto3.ParseComplete{})
		case *pgproto3.Bind:
			if err := c.sess.Bind(ctx, m.DestinationPortal, m.PreparedStatement, m.ParameterFormatCodes, m.Parameters, m.ResultFormatCodes); err != nil {
				c.fail(err, &skipping, &hadError)
				continue
			}
			c.be.Send(&pgproto3.BindComplete{})
		case *pgproto3.Describe:
			if err := c.describe(m); err != nil {
				c.fail(err, &skipping, &hadError)
			}
		case *pgproto3.Execute:
			suspended, err := c.sess.Execute(ctx, m.Portal, int(m.MaxRows), w)
			if err != nil {
				c.fail(err, &skipping, &hadError)
				continue
			}
			if suspended {
				c.be.Send(&pgproto3.PortalSuspended{})
			}
		case *pgproto3.Sync:
			if err := c.sess.Sync(ctx, hadError); err != nil {
				c.sendError(err, pgerror.SeverityError)
			}
			skipping, hadError = false, false
			c.sess.NoteIdle()
			c.be.Send(&pgproto3.ReadyForQuery{TxStatus: byte(c.sess.TxnStatus())})
			if err := c.be.Flush(); err != nil {
				return err
			}
		case *pgproto3.Flush:
			if err := c.be.Flush(); err != nil {
				return err
			}
		case *pgproto3.Close:
			if m.ObjectType == 'S' {
				c.sess.CloseStatement(m.Name)
			} else {
				c.sess.ClosePortal(m.Name)
			}
			c.be.Send(&pgproto3.CloseComplete{})
		case *pgproto3.Terminate:
			return nil
		case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
			// Only meaningful during COPY FROM STDIN, which is not active.
		default:
			c.sendError(pgerror.New(pgerror.ProtocolViolation, "unexpected message type %T", msg), pgerror.SeverityFatal)
			_ = c.be.Flush()
			return nil
		}
	}
}

func (c *conn) fail(err error, skipping, hadError *bool) {
	c.sendError(err, pgerror.SeverityError)
	*skipping, *hadError = true, true
}

func (c *conn) describe(m *pgproto3.Describe) error {
	if m.ObjectType == 'S' {
		p, err := c.sess.DescribeStatement(m.Name)
		if err != nil {
			return err
		}
		oids := make([]uint32, len(p.ParamTypes))
		for i, t := range p.ParamTypes {
			oids[i] = t.Oid
		}
		c.be.Send(&pgproto3.ParameterDescription{ParameterOIDs: oids})
		if p.Columns == nil {
			c.be.Send(&pgproto3.NoData{})
			return nil
		}
		c.be.Send(rowDescription(p.Columns, nil))
		return nil
	}
	cols, formats, err := c.sess.DescribePortal(m.Name)
	if err != nil {
		return err
	}
	if cols == nil {
		c.be.Send(&pgproto3.NoData{})
		return nil
	}
	c.be.Send(rowDescription(cols, formats))
	return nil
}

func rowDescription(cols []plan.Column, formats []int16) *pgproto3.RowDescription {
	rd := &pgproto3.RowDescription{Fields: make([]pgproto3.FieldDescription, len(cols))}
	for i, col := range cols {
		f := int16(0)
		if len(formats) == 1 {
			f = formats[0]
		} else if i < len(formats) {
			f = formats[i]
		}
		typmod := col.T.Typmod
		if col.T.Oid == types.OidRecord {
			typmod = -1 // a record's typmod names its layout inside Aegis only
		}
		rd.Fields[i] = pgproto3.FieldDescription{
			Name:                 []byte(col.Name),
			TableOID:             col.TableID,
			TableAttributeNumber: col.ColumnID,
			DataTypeOID:          col.T.Oid,
			DataTypeSize:         col.T.Size(),
			TypeModifier:         typmod,
			Format:               f,
		}
	}
	return rd
}

func (c *conn) sendError(err error, sev pgerror.Severity) {
	pe := pgerror.Flatten(err)
	if pe.Code == pgerror.InternalError {
		c.srv.logger.Error("internal error", "err", err)
	}
	if pe.Severity != "" && sev != pgerror.SeverityFatal {
		sev = pe.Severity
	}
	c.be.Send(errorResponse(pe, sev))
}

func errorResponse(pe *pgerror.Error, sev pgerror.Severity) *pgproto3.ErrorResponse {
	return &pgproto3.ErrorResponse{
		Severity: string(sev), SeverityUnlocalized: string(sev), Code: string(pe.Code), Message: pe.Message,
		Detail: pe.Detail, Hint: pe.Hint, Position: pe.Position, SchemaName: pe.SchemaName, TableName: pe.TableName,
		ColumnName: pe.ColumnName, DataTypeName: pe.DataTypeName, ConstraintName: pe.ConstraintName,
		Where: pe.Where,
	}
}

// writer adapts the backend to session.ResultWriter.
type writer struct {
	be   *pgproto3.Backend
	rows int
}

// CopyIn implements session.CopyWriter.
func (w *writer) CopyIn(columns int) (session.CopySource, error) {
	w.be.Send(&pgproto3.CopyInResponse{OverallFormat: 0, ColumnFormatCodes: make([]uint16, columns)})
	if err := w.be.Flush(); err != nil {
		return nil, err
	}
	return &copySource{be: w.be}, nil
}

// CopyOut implements session.CopyWriter.
func (w *writer) CopyOut(columns int) error {
	w.be.Send(&pgproto3.CopyOutResponse{OverallFormat: 0, ColumnFormatCodes: make([]uint16, columns)})
	return nil
}

// CopyData implements session.CopyWriter.
func (w *writer) CopyData(b []byte) error {
	w.be.Send(&pgproto3.CopyData{Data: b})
	if w.rows++; w.rows%512 == 0 {
		return w.be.Flush()
	}
	return nil
}

// CopyDone implements session.CopyWriter.
func (w *writer) CopyDone() error {
	w.be.Send(&pgproto3.CopyDone{})
	return nil
}

// copySource reads the client's COPY FROM STDIN stream.
type copySource struct {
	be   *pgproto3.Backend
	done bool
}

// Next implements session.CopySource.
func (c *copySource) Next() ([]byte, error) {
	for {
		if c.done {
			return nil, io.EOF
		}
		msg, err := c.be.Receive()
		if err != nil {
			return nil, err
		}
		switch m := msg.(type) {
		case *pgproto3.CopyData:
			return append([]byte(nil), m.Data...), nil
		case *pgproto3.CopyDone:
			c.done = true
			return nil, io.EOF
		case *pgproto3.CopyFail:
			c.done = true
			return nil, pgerror.New(pgerror.QueryCanceled, "COPY from stdin failed: %s", m.Message)
		case *pgproto3.Flush, *pgproto3.Sync:
			// Ignored during COPY IN, as PostgreSQL does.
		default:
			c.done = true
			return nil, pgerror.New(pgerror.ProtocolViolation, "unexpected message type 0x%02X during COPY from stdin", msgType(msg))
		}
	}
}

func msgType(m pgproto3.FrontendMessage) byte {
	b, err := m.Encode(nil)
	if err != nil || len(b) == 0 {
		return 0
	}
	return b[0]
}

var _ session.ResultWriter = (*writer)(nil)

func (w *writer) RowDescription(cols []plan.Column, formats []int16) error {
	w.be.Send(rowDescription(cols, formats))
	return nil
}

func (w *writer) DataRow(values [][]byte) error {
	w.be.Send(&pgproto3.DataRow{Values: values})
	// Stream large results instead of buffering them whole.
	if w.rows++; w.rows%512 == 0 {
		return w.be.Flush()
	}
	return nil
}

func (w *writer) CommandComplete(tag string) error {
	w.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
	return nil
}

func (w *writer) EmptyQuery() error {
	w.be.Send(&pgproto3.EmptyQueryResponse{})
	return nil
}

func (w *writer) ParameterStatus(name, value string) error {
	w.be.Send(&pgproto3.ParameterStatus{Name: name, Value: value})
	return nil
}

func (w *writer) Notice(n *pgerror.Error) error {
	sev := n.Severity
	if sev == "" {
		sev = pgerror.SeverityNotice
	}
	w.be.Send(&pgproto3.NoticeResponse{Severity: string(sev), SeverityUnlocalized: string(sev), Code: string(n.Code), Message: n.Message, Detail: n.Detail, Hint: n.Hint})
	return nil
}
