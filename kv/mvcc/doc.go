// Package mvcc stores multi-version values in a storage.Engine and reads
// consistent snapshots of them.
//
// # Layout
//
// Every version of a user key is one engine key:
//
//	0x02 | escaped(userKey) 0x00 0x01 | ^wall (8 bytes BE) | ^logical (4 bytes BE)
//
// escaped() is encoding.AppendEscapedBytes (0x00 -> 0x00 0xFF), which with
// its 0x00 0x01 terminator makes the user-key part prefix-free and
// order-preserving. The timestamp is bit-inverted so that, under the
// engine's plain bytes.Compare order, versions sort by user key ascending
// and then by timestamp descending (newest first). A reader at timestamp ts
// seeks to (key, ts) and the first entry with the same user-key prefix is
// the newest version visible to it.
//
// Values are one kind byte followed by the payload:
//
//	0x01 payload  a value
//	0x00          a deletion tombstone (the key does not exist at that time)
//
// Engine keys that start with a byte other than 0x02 are not MVCC data.
// 0x01 is reserved for store-local metadata (see LocalKey); MVCC scans never
// read it.
//
// # Invariants
//
//   - Versions are immutable once written; a commit writes all of its
//     versions at one commit timestamp in one engine batch.
//   - The caller (kv/localstore) guarantees that nothing is ever written at
//     a timestamp at or below a timestamp some reader already uses.
//
// TODO(txn issue): intents/locks for Percolator 2PC will live in a separate
// lock key space (prefix 0x03) so that MVCC reads here stay lock-free; GC of
// versions below the safe timestamp is also not implemented yet.
package mvcc
