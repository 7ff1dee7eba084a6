// Package hlc implements hybrid-logical-clock timestamps and a clock that
// issues them.
//
// A Timestamp is (WallTime nanoseconds, Logical counter), ordered
// lexicographically. A Clock never issues the same timestamp twice and never
// goes backwards, even when the physical clock does: Now returns
// max(physical now, last issued + 1 logical tick). Forward ratchets the clock
// above a timestamp learned elsewhere (from disk on restart, or later from
// another node), which is how causality is carried between clocks.
//
// The clock is in-memory only. Surviving restarts is the job of its owner,
// which persists an upper bound of the issued timestamps and ratchets the
// clock above it on startup (see kv/localstore).
package hlc
