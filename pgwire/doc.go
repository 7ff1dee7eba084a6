// Package pgwire serves the PostgreSQL v3 frontend/backend protocol:
// startup (SSLRequest and GSSENCRequest answered 'N', trust
// authentication), the simple and extended query protocols, cancel
// requests, notices and ParameterStatus. Messages are read and written
// with jackc/pgx's pgproto3; SQL work is delegated to sql/session.
//
// Each connection is served by one goroutine owned by the Server; Close
// stops the listener, closes every connection and waits for them.
package pgwire
