package pgwire

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/session"
)

// maxMessageSize bounds one protocol message (PostgreSQL's limit is 1 GB).
const maxMessageSize = 1 << 30

// Server accepts connections and serves them.
type Server struct {
	engine *session.Engine
	logger *slog.Logger
	ln     net.Listener

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu struct {
		sync.Mutex
		conns  map[*conn]struct{}
		byKey  map[uint64]*conn
		nextID uint32
	}
}

// NewServer returns a server for engine; Serve starts it.
func NewServer(engine *session.Engine, logger *slog.Logger) *Server {
	s := &Server{engine: engine, logger: logger}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.mu.conns = map[*conn]struct{}{}
	s.mu.byKey = map[uint64]*conn{}
	return s
}

// Serve accepts connections on ln until Close. It returns nil after Close.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serveConn(c)
		}()
	}
}

// Close stops accepting, closes every connection and waits for their
// goroutines to finish.
func (s *Server) Close() {
	s.cancel()
	s.mu.Lock()
	if s.ln != nil {
		_ = s.ln.Close()
	}
	for c := range s.mu.conns {
		_ = c.nc.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *Server) register(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.nextID++
	c.pid = s.mu.nextID
	var b [4]byte
	_, _ = rand.Read(b[:])
	c.secret = binary.BigEndian.Uint32(b[:])
	s.mu.conns[c] = struct{}{}
	s.mu.byKey[uint64(c.pid)<<32|uint64(c.secret)] = c
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.mu.conns, c)
	delete(s.mu.byKey, uint64(c.pid)<<32|uint64(c.secret))
}

func (s *Server) cancelRequest(pid, secret uint32) {
	s.mu.Lock()
	c := s.mu.byKey[uint64(pid)<<32|uint64(secret)]
	s.mu.Unlock()
	if c != nil && c.sess != nil {
		c.sess.Cancel()
	}
}

func (s *Server) serveConn(nc net.Conn) {
	defer nc.Close()
	s.mu.Lock()
	closed := s.ctx.Err() != nil
	s.mu.Unlock()
	if closed {
		return
	}
	be := pgproto3.NewBackend(nc, nc)
	be.SetMaxBodyLen(maxMessageSize)
	c := &conn{srv: s, nc: nc, be: be}
	var startup *pgproto3.StartupMessage
	for startup == nil {
		msg, err := be.ReceiveStartupMessage()
		if err != nil {
			return
		}
		switch m := msg.(type) {
		case *pgproto3.SSLRequest, *pgproto3.GSSEncRequest:
			if _, err := nc.Write([]byte{'N'}); err != nil {
				return
			}
		case *pgproto3.CancelRequest:
			if len(m.SecretKey) == 4 {
				s.cancelRequest(m.ProcessID, binary.BigEndian.Uint32(m.SecretKey))
			}
			return
		case *pgproto3.StartupMessage:
			startup = m
		default:
			return
		}
	}
	s.register(c)
	defer s.unregister(c)
	if err := c.startup(s.ctx, startup); err != nil {
		c.sendError(err, pgerror.SeverityFatal)
		_ = be.Flush()
		return
	}
	defer c.sess.Close(context.Background())
	defer c.sess.Detach()
	// A bug must cost one connection, never the server: a panic ends this
	// connection with a FATAL internal error (its transaction rolls back
	// in Close), as a crashed PostgreSQL backend would.
	defer func() {
		if r := recover(); r != nil {
			s.logger.Error("panic serving connection", "panic", r, "stack", string(debug.Stack()))
			c.sendError(pgerror.New(pgerror.InternalError, "internal error: %v", r), pgerror.SeverityFatal)
			_ = be.Flush()
		}
	}()
	if err := c.serve(s.ctx); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
		s.logger.Debug("connection ended", "err", err)
	}
}
