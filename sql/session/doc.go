// Package session is the connection state machine: the transaction a
// connection is in (idle, explicit block, failed block, or an implicit
// transaction around a simple-query string or an extended-protocol
// sequence up to Sync), its settings, prepared statements and portals.
//
// pgwire drives a Session and gives it a ResultWriter; the session parses,
// binds, builds and runs statements and encodes result values in the
// formats the client asked for. A Session is used by one goroutine at a
// time; only Cancel may be called concurrently.
package session
