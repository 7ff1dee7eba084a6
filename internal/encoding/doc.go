// Package encoding provides order-preserving ("memcomparable") encodings of
// scalar values, the primitives from which table and index keys are built.
//
// # Model
//
// Every Encode*Ascending function appends one self-describing value to a
// byte slice: a one-byte type tag followed by a body. The invariant is
//
//	bytes.Compare(Encode(a), Encode(b)) == Compare(a, b)
//
// for any two values a and b of the same type, and because every body is
// prefix-free (its length is implied by its own bytes), the invariant also
// holds for concatenations: a tuple of values encoded one after another
// compares like the tuple, column by column. That is what makes a primary-key
// or index range a contiguous key range.
//
// The NULL marker (tag 0x00) is smaller than every tag of a non-NULL value,
// so NULLs sort first, as in PostgreSQL's NULLS FIRST for ascending keys when
// explicitly requested. PeekType reports the tag of the next value so a
// decoder can branch on NULL before decoding.
//
// Each Decode*Ascending function consumes one value from the front of its
// input and returns the remaining bytes. Decoders validate their input and
// return an error (never panic) on truncated or malformed bytes. Decoded
// byte slices never alias the input.
//
// # Types and their orders
//
//   - Varint (int64) and Uvarint (uint64): a length-class byte followed by
//     the significant big-endian bytes, so small numbers take few bytes.
//   - Float (float64): 8 bytes, sign-flipped IEEE-754. -0 encodes as +0, and
//     every NaN encodes as one canonical NaN that sorts after +Inf (as in
//     PostgreSQL, where NaN is greater than every other float).
//   - Decimal (*apd.Decimal): class byte (-Inf < negative < zero < positive <
//     +Inf < NaN), then for finite non-zero values the adjusted exponent and
//     the base-100 digits with trailing zeros removed. Numerically equal
//     values (1.0, 1.00, 10E-1) encode to identical bytes; the scale is not
//     preserved, so DecodeDecimalAscending returns the reduced form (1).
//     Keys compare numerically; the row value keeps the original scale.
//   - Bytes and strings: 0x00 bytes are escaped as 0x00 0xFF and the value
//     is terminated by 0x00 0x01, so a value sorts before every extension
//     of it ("ab" < "ab\x00" < "abc").
//
// Descending variants are not implemented yet.
package encoding
