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
// Engine keys that start with a byte other than 0x02 are not MVCC data:
//
//	0x01 name                        store-local metadata (LocalKey)
//	0x03 escaped(userKey)            intent of a two-phase commit (Intent)
//	0x04 escaped(primary) txnID(16)  commit record of a transaction
//
// MVCC reads never see them.
//
// # Invariants
//
//   - Versions are immutable once written; a commit writes all of its
//     versions at one commit timestamp in one engine batch.
//   - The caller (kv/localstore) guarantees that nothing is ever written at
//     a timestamp at or below a timestamp some reader already uses.
//
// GC removes, per key, the versions no reader at or above a threshold can
// see: everything older than the newest version at or below it, and that
// version too if it is a tombstone.
package mvcc
